import { z } from 'zod';
import { governanceIndexSchema } from './governance-index.schema';
import { portalCode, positiveInt, upperSnake } from './schema-fields';

const escalationLevel = z.strictObject({
  name: z.string().min(1),
  afterDays: positiveInt,
});

const terms = {
  redressalDays: positiveInt,
  warningAtPct: positiveInt.pipe(z.number().max(99)),
  appealWindowDays: positiveInt,
  appealRedressalDays: positiveInt,
  dayType: z.enum(['calendar', 'working']),
  escalationLevels: z.array(escalationLevel),
};

const isoDate = z.iso.date({ error: 'Expected a date as YYYY-MM-DD' });

export const slaFileSchema = z.strictObject({
  defaults: z
    .strictObject({
      redressalDays: terms.redressalDays.default(30),
      warningAtPct: terms.warningAtPct.default(75),
      appealWindowDays: terms.appealWindowDays.default(30),
      appealRedressalDays: terms.appealRedressalDays.default(30),
      dayType: terms.dayType.default('calendar'),
      escalationLevels: terms.escalationLevels.default([]),
    })
    .prefault({}),
  policies: z
    .array(
      z.strictObject({
        portal: portalCode,
        category: upperSnake.optional(),
        redressalDays: terms.redressalDays.optional(),
        warningAtPct: terms.warningAtPct.optional(),
        appealWindowDays: terms.appealWindowDays.optional(),
        appealRedressalDays: terms.appealRedressalDays.optional(),
        dayType: terms.dayType.optional(),
        escalationLevels: terms.escalationLevels.optional(),
        source: z.string().min(1).optional(),
      }),
    )
    .default([]),
  // Keyed by state code, or "central" for the Government of India calendar.
  holidays: z
    .record(
      z.string().regex(/^(\d{2}|central)$/, 'Expected a state code such as "09" or "central"'),
      z.array(isoDate),
    )
    .default({}),
  // The District Governance Index's weights (docs/governance-index.md).
  governanceIndex: governanceIndexSchema,
  // The public transparency page (docs/public-page.md).
  publicFigures: z
    .strictObject({
      /** A count under this is not shown, nor a figure computed from fewer grievances. */
      minCount: positiveInt.default(10),
      /** How long an answer is served from memory before it is read again. */
      cacheSeconds: positiveInt.default(300),
    })
    .prefault({}),
});
