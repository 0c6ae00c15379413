import { z } from 'zod';

const quoted = (example: string) =>
  z.string({
    error: (iss) =>
      iss.input === undefined ? 'Required' : `Expected a quoted string such as "${example}"`,
  });

/** LGD state code: always two digits, quoted in YAML ("09" unquoted would read as the number 9). */
export const stateCode = quoted('09').regex(
  /^\d{2}$/,
  'Expected a two-digit LGD state code such as "09"',
);
export const districtCode = quoted('162').regex(
  /^\d{1,4}$/,
  'Expected an LGD district code of 1-4 digits such as "162"',
);
export const upperSnake = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'Expected UPPER_SNAKE_CASE');
export const orgCode = z
  .string()
  .regex(/^[A-Z][A-Z0-9]{1,15}$/, 'Expected an upper-case organisation code such as DARPG');
export const portalCode = z
  .string()
  .regex(/^[A-Z][A-Z0-9-]*$/, 'Expected an upper-case portal code such as UP-IGRS');
export const envVarName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'Expected an environment variable name such as CPGRAMS_API_KEY');

// Interpolated values arrive as strings ("${POLL_MS:-30000}"), so numbers and booleans accept
// their plain string spelling too.
export const positiveInt = z.preprocess(
  (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v),
  z.number().int().positive(),
);
export const boolish = z.preprocess(
  (v) => (v === 'true' ? true : v === 'false' ? false : v),
  z.boolean(),
);
