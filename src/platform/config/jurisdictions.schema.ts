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
});
