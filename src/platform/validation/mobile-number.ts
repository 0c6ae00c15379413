/** Finding a citizen's mobile number in text people typed (audit entries, logged paths). */

const SEPARATOR = String.raw`[\s().\-]*`;
/**
 * An Indian mobile number however a person types it: ten digits starting 6-9, maybe after
 * +91, 0091, 91 or 0, with spaces, dots, hyphens or brackets anywhere between the digits
 * (matched on the text with its digits made ASCII: see asciiDigits).
 */
const MOBILE = new RegExp(
  String.raw`(?<!\d)(?:(?:(?:\+|00)${SEPARATOR})?91${SEPARATOR}|0${SEPARATOR})?[6-9](?:${SEPARATOR}\d){9}(?!\d)`,
);
// eslint-disable-next-line no-control-regex -- the whole ASCII range, controls included
const ASCII = /^[\u0000-\u007f]*$/;
const DECIMAL_DIGIT = /\p{Nd}/u;
const DECIMAL_DIGITS = /\p{Nd}/gu;

/**
 * Full-width digits (NFKC) and the digits of every script (Devanagari ९, Bengali ৯, …) as ASCII:
 * a phone keyboard set to an Indian language types a mobile number in them. Unicode encodes
 * each script's digits as runs of whole 0-9 blocks, so a digit's value is its offset in its run.
 */
function asciiDigits(text: string): string {
  // Most text (every logged request path) is plain ASCII: nothing to convert.
  if (ASCII.test(text)) return text;
  return text.normalize('NFKC').replace(DECIMAL_DIGITS, (digit) => {
    const cp = digit.codePointAt(0)!;
    let start = cp;
    while (DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start--;
    return String((cp - start) % 10);
  });
}

const MOBILES = new RegExp(MOBILE.source, 'g');

/**
 * A uuid (the hub's ids: dispatches, API keys, requests) is never a mobile number, though its
 * hex groups can read as one with hyphens: c4ca7970-7236-45ab-… holds 7970-7236-45. Only a whole
 * uuid is set aside; a number beside one is still found.
 */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** `text` (its digits made ASCII) with every mobile number, in any spelling, replaced. */
export function replaceMobileNumbers(text: string, replacement: string): string {
  const ascii = asciiDigits(text);
  const uuids = ascii.match(UUID);
  if (!uuids) return ascii.replace(MOBILES, replacement);
  // Between the uuids only; the uuids themselves are kept as they are.
  return ascii
    .split(UUID)
    .map((part, i) => part.replace(MOBILES, replacement) + (uuids[i] ?? ''))
    .join('');
}

/** Whether `text` holds an Indian mobile number in any spelling a person uses. */
export function containsMobileNumber(text: string): boolean {
  // A space where each uuid was: the text on either side stays apart.
  return MOBILE.test(asciiDigits(text).replace(UUID, ' '));
}
