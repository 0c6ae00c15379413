/** What the audit trail may keep of a staff request's query: no citizen's personal data. */

import { containsMobileNumber } from '../platform/validation/mobile-number';

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
  if (containsMobileNumber(value)) return MOBILE_REDACTED;
  if (FREE_TEXT.test(value.trim())) return FREE_TEXT_REDACTED;
  return value.length > MAX_KEPT ? `${value.slice(0, MAX_KEPT)}…` : value;
}

/** Every parameter of the query, known or not: refused requests are audited with what they sent. */
export function auditSafeQuery(query: Record<string, unknown>): Record<string, unknown> {
  return auditSafeValue(query ?? {}) as Record<string, unknown>;
}
