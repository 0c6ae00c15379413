/** What the audit trail may keep of a staff request's query: no citizen's personal data. */

const SEPARATOR = String.raw`[\s().\-]*`;
/**
 * An Indian mobile number however a person types it: ten digits starting 6-9, maybe after
 * +91, 0091, 91 or 0, with spaces, dots, hyphens or brackets anywhere between the digits
 * (matched on the text with its digits made ASCII: see asciiDigits).
 */
const MOBILE = new RegExp(
  String.raw`(?<!\d)(?:(?:(?:\+|00)${SEPARATOR})?91${SEPARATOR}|0${SEPARATOR})?[6-9](?:${SEPARATOR}\d){9}(?!\d)`,
);
const DECIMAL_DIGIT = /\p{Nd}/u;
const DECIMAL_DIGITS = /\p{Nd}/gu;

/**
 * Full-width digits (NFKC) and the digits of every script (Devanagari ९, Bengali ৯, …) as ASCII:
 * a phone keyboard set to an Indian language types a mobile number in them. Unicode encodes
 * each script's digits as runs of whole 0-9 blocks, so a digit's value is its offset in its run.
 */
function asciiDigits(text: string): string {
  return text.normalize('NFKC').replace(DECIMAL_DIGITS, (digit) => {
    const cp = digit.codePointAt(0)!;
    let start = cp;
    while (DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start--;
    return String((cp - start) % 10);
  });
}
/** Several words or an e-mail address: a name or an address, not a code or a reference. */
const FREE_TEXT = /\S\s+\S|@/;
const MAX_KEPT = 200;

export const MOBILE_REDACTED = '[mobile number]';
export const FREE_TEXT_REDACTED = '[free text]';

/**
 * One query value as the audit keeps it. Tracking ids, portal references and codes stay (they
 * say what was looked at); a mobile number in any spelling, or words that may be a name or an
 * address, are kept only as the kind of thing searched for.
 */
export function auditSafeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(auditSafeValue);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, auditSafeValue(v)]));
  if (typeof value !== 'string') return value;
  if (MOBILE.test(asciiDigits(value))) return MOBILE_REDACTED;
  if (FREE_TEXT.test(value.trim())) return FREE_TEXT_REDACTED;
  return value.length > MAX_KEPT ? `${value.slice(0, MAX_KEPT)}…` : value;
}

/** Every parameter of the query, known or not: refused requests are audited with what they sent. */
export function auditSafeQuery(query: Record<string, unknown>): Record<string, unknown> {
  return auditSafeValue(query ?? {}) as Record<string, unknown>;
}
