import { readPath } from './dot-path';

export interface FieldRule {
  path: string;
  optional?: boolean;
  test?: (value: unknown) => boolean;
  /** Completes "<path> …" when the test fails. */
  message?: string;
}

/** The first problem in a request body, phrased the way a portal's validator would, or null. */
export function firstInvalidField(body: unknown, rules: readonly FieldRule[]): string | null {
  for (const rule of rules) {
    const value = readPath(body, rule.path);
    if (value === undefined || value === null || value === '') {
      if (rule.optional) continue;
      return `${rule.path} is required`;
    }
    if (rule.test && !rule.test(value)) return `${rule.path} ${rule.message ?? 'is invalid'}`;
  }
  return null;
}

export const isText = (min: number, max: number) => (v: unknown) =>
  typeof v === 'string' && v.trim().length >= min && v.length <= max;
export const matches = (re: RegExp) => (v: unknown) => typeof v === 'string' && re.test(v);
export const MOBILE = /^[6-9]\d{9}$/;
export const PINCODE = /^[1-9]\d{5}$/;
