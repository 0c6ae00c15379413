import type { SealedComplainant } from './complainant';

/** The same fields, each masked. */
export type MaskedComplainant = SealedComplainant;

const stars = (n: number) => '*'.repeat(Math.max(n, 1));

/** "Asha Verma" → "A*** V****": enough to recognise on a call-back, not to identify. */
export function maskName(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .map((part) => {
      const chars = [...part];
      return chars[0] + stars(chars.length - 1);
    })
    .join(' ');
}

export function maskMobile(mobile: string): string {
  return mobile.length <= 4
    ? stars(mobile.length)
    : `${stars(mobile.length - 4)}${mobile.slice(-4)}`;
}

export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return stars(email.length);
  return `${email[0]}${stars(at - 1)}${email.slice(at)}`;
}

/** What every staff view shows; only an audited admin unmask shows more. */
export function maskComplainant(c: SealedComplainant): MaskedComplainant {
  return {
    name: maskName(c.name),
    mobile: maskMobile(c.mobile),
    email: c.email ? maskEmail(c.email) : null,
    address: '[masked]',
  };
}
