import { z } from 'zod';
import { districtCode, stateCode } from './schema-fields';

export const jurisdictionsFileSchema = z.strictObject({
  states: z
    .array(
      z.strictObject({
        code: stateCode,
        name: z.string().min(1),
        type: z.enum(['State', 'UT']),
      }),
    )
    .min(1),
  districts: z
    .array(
      z.strictObject({
        stateCode,
        code: districtCode,
        name: z.string().min(1),
      }),
    )
    .default([]),
  /** First three digits of a PIN → LGD codes of the states with post offices under it. */
  pincodePrefixes: z
    .record(
      z.string().regex(/^[1-9]\d{2}$/, 'Expected the first three digits of a PIN code'),
      z.array(stateCode).min(1),
    )
    .default({}),
});
