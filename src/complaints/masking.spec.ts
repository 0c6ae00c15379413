import { maskComplainant, maskEmail, maskMobile, maskName } from './masking';

describe('masking personal data in staff views', () => {
  it.each([
    ['Asha Verma', 'A*** V****'],
    ['  राम   कुमार ', 'र** क****'],
    ['X', 'X*'],
  ])('name %s → %s', (name, masked) => expect(maskName(name)).toBe(masked));

  it.each([
    ['9876543210', '******3210'],
    ['123', '***'],
  ])('mobile %s → %s', (mobile, masked) => expect(maskMobile(mobile)).toBe(masked));

  it.each([
    ['asha.verma@example.in', 'a*********@example.in'],
    ['not-an-email', '************'],
  ])('e-mail %s → %s', (email, masked) => expect(maskEmail(email)).toBe(masked));

  it('never shows the address', () => {
    const masked = maskComplainant({
      name: 'Asha Verma',
      mobile: '9876543210',
      email: null,
      address: 'House 14, Sector 12',
    });
    expect(JSON.stringify(masked)).not.toMatch(/Asha|Verma|98765|House|Sector/);
  });
});
