import { z } from 'zod';
import { boolish, districtCode, portalCode, stateCode, upperSnake } from './schema-fields';

const rule = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'Expected a kebab-case rule name such as uttar-pradesh'),
  stateCode,
  // An empty list would read as "matches nothing": omit the key to match everything.
  districts: z.array(districtCode).min(1).optional(),
  categories: z.array(upperSnake).min(1).optional(),
  portal: portalCode,
});

export const routingFileSchema = z.strictObject({
  centralPortal: portalCode,
  mirrorStateGrievances: z
    .strictObject({ enabled: boolish.default(false), portal: portalCode })
    .optional(),
  rules: z.array(rule).default([]),
});
