import { CreateComplaintDto } from '../../complaints/dto/create-complaint.dto';
import { ValidationFailedError } from './domain-error';
import { validateAs } from './validation';

const body = {
  complainant: { name: 'Asha Verma', mobile: '+91 98765 43210' },
  subject: 'Sinkhole on the main road',
  description: 'A large sinkhole is destroying the street.',
  category: 'MUNICIPAL_SERVICES',
  location: { stateCode: '09', districtCode: null, pincode: '226010', address: 'Gomti Nagar' },
  ministryCode: null,
  consent: true,
};

describe('validateAs: a mapped body checked by the intake rules', () => {
  it('returns the transformed instance', async () => {
    const dto = await validateAs(CreateComplaintDto, body);
    expect(dto).toBeInstanceOf(CreateComplaintDto);
    expect(dto.complainant.mobile).toBe('9876543210');
  });

  it('names each wrong field as the pipe does', async () => {
    const error = await validateAs(CreateComplaintDto, {
      ...body,
      complainant: { name: 'Asha Verma' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationFailedError);
    expect((error as ValidationFailedError).extra.errors).toEqual([
      { path: 'complainant.mobile', message: 'mobile is required' },
    ]);
  });
});
