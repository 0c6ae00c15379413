import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateComplaintDto } from './create-complaint.dto';
import { toFieldErrors } from '../../platform/errors/validation';

function errorsFor(body: object) {
  const dto = plainToInstance(CreateComplaintDto, body);
  return toFieldErrors(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }));
}

const valid = {
  complainant: { name: 'Asha Verma', mobile: '9876543210' },
  subject: 'Streetlights off',
  description: 'Streetlights have been off for weeks.',
  category: 'MUNICIPAL_SERVICES',
  location: { stateCode: '09', districtCode: '162', pincode: '226010', address: 'Gomti Nagar' },
  consent: true,
};

describe('toFieldErrors', () => {
  it('accepts a valid grievance', () => {
    expect(errorsFor(valid)).toEqual([]);
  });

  it.each([
    [{ ...valid, complainant: { ...valid.complainant, mobile: '12345' } }, 'complainant.mobile'],
    [{ ...valid, location: { ...valid.location, pincode: '000000' } }, 'location.pincode'],
    [{ ...valid, consent: false }, 'consent'],
    [{ ...valid, colour: 'red' }, 'colour'],
    [{ ...valid, location: { ...valid.location, lat: 1 } }, 'location.lat'],
  ])('reports the path of the bad field (%#)', (body, path) => {
    expect(errorsFor(body).map((e) => e.path)).toEqual([path]);
  });

  it.each([
    ['location.address', { ...valid, location: { ...valid.location, address: undefined } }],
    ['subject', { ...valid, subject: undefined }],
    ['complainant.mobile', { ...valid, complainant: { name: 'Asha Verma' } }],
    ['consent', { ...valid, consent: undefined }],
    ['complainant', { ...valid, complainant: undefined }],
  ])('says only "is required" when %s is missing', (path, body) => {
    const field = path.split('.').pop();
    expect(errorsFor(body)).toEqual([{ path, message: `${field} is required` }]);
  });

  it('reports a null required field as missing too', () => {
    expect(errorsFor({ ...valid, category: null })).toEqual([
      { path: 'category', message: 'category is required' },
    ]);
  });

  it('says only "must be a string" when the value has the wrong type', () => {
    expect(errorsFor({ ...valid, location: { ...valid.location, address: 5 } })).toEqual([
      { path: 'location.address', message: 'address must be a string' },
    ]);
  });

  it('calls a present field nobody declared unknown, even when null', () => {
    expect(errorsFor({ ...valid, colour: null })).toEqual([
      { path: 'colour', message: 'is not a known field' },
    ]);
  });

  it('still checks an optional field that is present', () => {
    expect(errorsFor({ ...valid, ministryCode: 'x' })).toEqual([
      { path: 'ministryCode', message: 'ministryCode must be a ministry code' },
    ]);
  });

  it.each(['+919876543210', '09876543210', '98765 43210', '98765-43210'])(
    'normalises mobile %s',
    (mobile) => {
      const dto = plainToInstance(CreateComplaintDto, {
        ...valid,
        complainant: { ...valid.complainant, mobile },
      });
      expect(validateSync(dto)).toEqual([]);
      expect(dto.complainant.mobile).toBe('9876543210');
    },
  );
});
