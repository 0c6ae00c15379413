/**
 * E-mail addresses and Indian mobile numbers out of free text headed for logs or rows: mail
 * servers, SMS gateways and drivers quote them in their error messages.
 */
export function redactText(message: string): string {
  return message
    .replace(/[^\s<>"'@]+@[^\s<>"'@]+/g, '[redacted]')
    .replace(/(?<!\d)(\+?91)?[6-9]\d{9}(?!\d)/g, '[redacted]');
}
