import { replaceMobileNumbers } from '../validation/mobile-number';

/**
 * E-mail addresses and Indian mobile numbers (in any spelling a person types: spaced, +91,
 * 0091, Devanagari digits) out of free text headed for logs or rows: mail servers, SMS
 * gateways, drivers and portals quote them in their error messages.
 */
export function redactText(message: string): string {
  return replaceMobileNumbers(
    message.replace(/[^\s<>"'@]+@[^\s<>"'@]+/g, '[redacted]'),
    '[redacted]',
  );
}
