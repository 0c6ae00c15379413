import { redactText } from './redact-text';

describe('redactText', () => {
  it.each([
    ['Recipient 9876543210 unreachable', 'Recipient [redacted] unreachable'],
    ['SMS to +91 98765 43210 failed', 'SMS to [redacted] failed'],
    ['rejected: mobile 0091-98765-43210 invalid', 'rejected: mobile [redacted] invalid'],
    ['contact (098765) 43210', 'contact ([redacted]'],
    ['मोबाइल ९८७६५४३२१० गलत', 'मोबाइल [redacted] गलत'],
    ['mailbox asha@example.in full', 'mailbox [redacted] full'],
    [
      'dispatch c4ca7970-7236-45ab-9abc-0123456789ab for 9876543210',
      'dispatch c4ca7970-7236-45ab-9abc-0123456789ab for [redacted]',
    ],
  ])('redacts %j', (text, expected) => {
    expect(redactText(text)).toBe(expected);
  });

  it.each([
    'Registered as MORLY/E/2026/0000001',
    'UP reference 40016226000001 already taken',
    'timeout after 5000 ms (attempt 3)',
    'dispatch c4ca7970-7236-45ab-9abc-0123456789ab failed',
  ])('keeps references and numbers that are not mobiles: %j', (text) => {
    expect(redactText(text)).toBe(text);
  });
});
