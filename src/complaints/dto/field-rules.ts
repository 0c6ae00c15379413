/** Field rules shared by the citizen-facing DTOs (and staff search, for mobile numbers). */

export { NO_CONTROL_CHARS } from '../../platform/text';

/** An Indian mobile number as stored: 10 digits, starting 6-9. */
export const INDIAN_MOBILE = /^[6-9]\d{9}$/;

/** 9876543210, +91 98765 43210 and 09876543210 all become 9876543210. */
export function tenDigitMobile(text: string): string {
  return text.replace(/[\s-]/g, '').replace(/^(\+91|0)(?=\d{10}$)/, '');
}

/** class-transformer `@Transform` functions. */
export const trim = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value;
export const normaliseMobile = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? tenDigitMobile(value) : value;
