import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateComplaintDto } from '../../complaints/dto/create-complaint.dto';
import { toFieldErrors } from './validation';

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
