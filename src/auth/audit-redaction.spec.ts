import {
  auditSafeQuery,
  auditSafeValue,
  FREE_TEXT_REDACTED,
  MOBILE_REDACTED,
} from './audit-redaction';
import { auditTargetOf } from './staff-request';

describe('audit redaction of staff queries', () => {
  it.each([
    '9876543210',
    ' 9876543210',
    '9876543210 ',
    '+919876543210',
    '+91 9876543210',
    '+ 91 9876543210',
    '+91-98765-43210',
    '919876543210',
    '91 98765 43210',
    '09876543210',
    '091 98765 43210',
    '(+91) 98765 43210',
    '98765.43210',
    '987-654-3210',
    'mobile:9876543210',
    'REF-9876543210',
    // Only a whole uuid is exempt: a mobile beside one is still found.
    'c4ca7970-7236-45ab-9abc-0123456789ab 9876543210',
    'call 98765 43210 please',
    // The international prefix as dialled from India and abroad.
    '00919876543210',
    '0091 98765 43210',
    '+0091 98765 43210',
    // Digits of Indian scripts and full-width digits, as phone keyboards type them.
    '९८७६५४३२१०',
    '+९१ ९८७६५ ४३२१०',
    '৯৮৭৬৫৪৩২১০',
    '೯೮೭೬೫೪೩೨೧೦',
    '９８７６５４３２１０',
  ])('%j is a mobile number', (q) => {
    expect(auditSafeValue(q)).toBe(MOBILE_REDACTED);
  });

  it.each([
    ['a tracking id', 'ONOP-2345-6789-ABCD'],
    ['a portal reference', 'DARPG/E/2026/0001234'],
    ['a status', 'RESOLVED'],
    ['a district code', '162'],
    ['five digits', '98765'],
    ['eleven digits without a prefix', '98765432101'],
    ['a number starting 5', '5876543210'],
    ['a cursor', 'MjAyNi0xMS0yNlQwNTowMDowMC4xMjNafDBmNWU3YzNh'],
    ['Devanagari digits that are not a mobile', '१६२'],
    // Seen redacted in a full run: 7970-7236-45 reads as a mobile number with hyphens.
    ['a dispatch id whose digits look like a mobile', 'c4ca7970-7236-45ab-9abc-0123456789ab'],
    ['a uuid in capitals', 'C4CA7970-7236-45AB-9ABC-0123456789AB'],
  ])('%s is kept', (_name, q) => {
    expect(auditSafeValue(q)).toBe(q);
  });

  it.each(['Asha Verma', 'asha@example.in', 'House 14, Sector 12'])('%j is free text', (q) => {
    expect(auditSafeValue(q)).toBe(FREE_TEXT_REDACTED);
  });

  it('reaches every parameter, arrays and unknown ones included, and bounds what it keeps', () => {
    expect(
      auditSafeQuery({
        q: 'ONOP-2345-6789-ABCD',
        mobile: '9876543210',
        name: ['Asha Verma', 'x'],
        limit: '10',
        long: 'A'.repeat(500),
      }),
    ).toEqual({
      q: 'ONOP-2345-6789-ABCD',
      mobile: MOBILE_REDACTED,
      name: [FREE_TEXT_REDACTED, 'x'],
      limit: '10',
      long: `${'A'.repeat(200)}…`,
    });
  });
});

describe('the target of an audit entry', () => {
  const target = (trackingId: string) =>
    auditTargetOf({ params: { trackingId } } as unknown as Parameters<typeof auditTargetOf>[0]);

  it('keeps a tracking id, even one whose digits read like a mobile number', () => {
    expect(target('ONOP-9234-5678-92AB')).toBe('ONOP-9234-5678-92AB');
  });

  it('does not keep a mobile number or a name typed where the tracking id goes', () => {
    expect(target('+91 9876543210')).toBe(MOBILE_REDACTED);
    expect(target('Asha Verma')).toBe(FREE_TEXT_REDACTED);
  });
});
