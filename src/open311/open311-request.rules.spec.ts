import { CreateComplaintDto } from '../complaints/dto/create-complaint.dto';
import type { Category } from '../platform/config/hub-config';
import { validateAs } from '../platform/errors/validation';
import { Open311Error } from './open311-error';
import { parsePost, subjectOf, toNativeComplaint } from './open311-request.rules';

const categories: Category[] = [
  {
    code: 'MUNICIPAL_SERVICES',
    label: { en: 'Municipal services', hi: 'न' },
    level: 'state',
    ministry: null,
  },
  { code: 'RAILWAYS', label: { en: 'Railways', hi: 'र' }, level: 'central', ministry: 'MORLY' },
];
const isState = (code: string) => code === '09';
const form = (o: Record<string, unknown> = {}) => ({
  service_code: 'MUNICIPAL_SERVICES',
  jurisdiction_id: '09',
  lat: '26.8467',
  long: '80.9462',
  address_string: 'Sector 12, Gomti Nagar',
  zipcode: '226010',
  first_name: 'Asha',
  last_name: 'Verma',
  phone: '9876543210',
  description: 'A large sinkhole is destroying the street.',
  ...o,
});
const place = { stateCode: '09', districtCode: '162', pincode: '226010' };

function refusal(f: Record<string, unknown>): { status: number; descriptions: string[] } {
  try {
    parsePost(f, categories, isState);
  } catch (e) {
    const error = e as Open311Error;
    return { status: error.status, descriptions: error.errors.map((x) => x.description) };
  }
  throw new Error('accepted');
}

describe('an Open311 POST form, read against the spec argument table', () => {
  it('maps onto a native grievance the intake rules accept', async () => {
    const post = parsePost(form({ media_url: 'https://example.in/p.jpg' }), categories, isState);
    const dto = await validateAs(CreateComplaintDto, toNativeComplaint(post, place));
    expect(dto).toMatchObject({
      complainant: { name: 'Asha Verma', mobile: '9876543210' },
      subject: 'A large sinkhole is destroying the street.',
      category: 'MUNICIPAL_SERVICES',
      location: {
        stateCode: '09',
        districtCode: '162',
        pincode: '226010',
        address: 'Sector 12, Gomti Nagar',
      },
      consent: true,
    });
    expect(dto.description).toContain('Photo: https://example.in/p.jpg');
  });

  it.each([
    ['no service_code', { service_code: '' }, 400, 'service_code was not provided'],
    [
      'an unknown service_code',
      { service_code: 'POTHOLES' },
      404,
      'service_code was not found (GET services)',
    ],
    [
      'an unknown jurisdiction',
      { jurisdiction_id: 'sfgov.org' },
      404,
      'jurisdiction_id was not found: send an LGD state code such as 09',
    ],
    [
      'no location',
      { lat: '', long: '', address_string: '' },
      400,
      'A location is required: lat and long, address_string or address_id',
    ],
    ['lat alone', { long: '' }, 400, 'lat and long must be sent together'],
    ['lat out of range', { lat: '123' }, 400, 'lat must be a WGS84 decimal degree (-90 to 90)'],
    ['a field twice', { phone: ['1', '2'] }, 400, 'phone must be given once, as text'],
    ['a bad PIN', { zipcode: '02260' }, 400, 'zipcode must be a 6-digit Indian PIN code'],
    [
      'a media_url that is no URL',
      { media_url: 'javascript:alert(1)' },
      400,
      'media_url must be an http(s) URL',
    ],
    [
      'an unknown attribute',
      { attribute: { WHISPAWN: '1' } },
      400,
      'attribute[WHISPAWN] is not an attribute of this service (GET services/{service_code})',
    ],
    [
      'the ministry of a state service',
      { attribute: { MINISTRY: 'MORLY' } },
      400,
      'attribute[MINISTRY] is not an attribute of this service (GET services/{service_code})',
    ],
  ])('%s: %s', (_what, change, status, description) => {
    expect(refusal(form(change))).toEqual({ status, descriptions: [description] });
  });

  it('400 wins over 404 when both apply (fix the request first)', () => {
    expect(refusal(form({ service_code: 'POTHOLES', description: '' })).status).toBe(400);
  });

  it.each([
    ['the SUBJECT attribute', { attribute: { SUBJECT: 'Sinkhole' } }, 'Sinkhole'],
    [
      'the first line',
      { description: 'Sinkhole near the gate\nIt is deep.' },
      'Sinkhole near the gate',
    ],
    [
      'the service name for a short line',
      { description: 'Help\nThe road has caved in.' },
      'Municipal services',
    ],
  ])('takes the subject from %s', (_what, change, subject) => {
    expect(subjectOf(parsePost(form(change), categories, isState))).toBe(subject);
  });

  it('cuts a long first line at a word, within 200 characters', () => {
    const s = subjectOf(parsePost(form({ description: 'word '.repeat(100) }), categories, isState));
    expect(s.length).toBeLessThanOrEqual(200);
    expect(s.endsWith('word…')).toBe(true);
  });
});
