import { z } from 'zod';
import { envVarName, portalCode, positiveInt, stateCode } from './schema-fields';

export const DELIVERY_DEFAULTS = {
  concurrency: 8,
  ratePerSecond: 50,
  timeoutMs: 5_000,
  attempts: 8,
  backoffMs: 1_000,
  circuit: { failureThreshold: 5, openMs: 30_000 },
} as const;
export const POLL_DEFAULT_EVERY_MS = 60_000;

const d = DELIVERY_DEFAULTS;
const delivery = z.strictObject({
  concurrency: positiveInt.default(d.concurrency),
  ratePerSecond: positiveInt.default(d.ratePerSecond),
  timeoutMs: positiveInt.default(d.timeoutMs),
  attempts: positiveInt.default(d.attempts),
  backoffMs: positiveInt.default(d.backoffMs),
  circuit: z
    .strictObject({
      failureThreshold: positiveInt.default(d.circuit.failureThreshold),
      openMs: positiveInt.default(d.circuit.openMs),
    })
    .prefault({}),
});

const secretRef = { env: envVarName, devDefault: z.string().min(1).optional() };

const portal = z
  .strictObject({
    code: portalCode,
    name: z.string().min(1),
    kind: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/, 'Expected a lower-case adapter kind such as up-igrs'),
    baseUrl: z.url({ protocol: /^https?$/, error: 'Expected an http(s) URL' }),
    mode: z.enum(['push', 'pull']),
    jurisdiction: z.discriminatedUnion('level', [
      z.strictObject({ level: z.literal('central') }),
      z.strictObject({ level: z.literal('state'), stateCode }),
    ]),
    credential: z.strictObject({ header: z.string().min(1), ...secretRef }).optional(),
    // previousEnv: a secret being rotated out, still accepted while the variable is set.
    webhookSecret: z.strictObject({ ...secretRef, previousEnv: envVarName.optional() }).optional(),
    delivery: delivery.prefault({}),
    poll: z.strictObject({ everyMs: positiveInt.default(POLL_DEFAULT_EVERY_MS) }).optional(),
    // The portal cannot be asked for a grievance by our reference: delivery becomes
    // at-least-once, and a re-sent dispatch is flagged to staff as a possible duplicate.
    lookup: z.literal('none', { error: 'Expected none (or leave lookup out)' }).optional(),
    // Grievances one mobile may lodge here per calendar month (UP IGRS: 10); unset: no cap.
    monthlyCapPerMobile: positiveInt.optional(),
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .superRefine((p, ctx) => {
    if (p.mode === 'push' && !p.webhookSecret) {
      ctx.addIssue({
        code: 'custom',
        path: ['webhookSecret'],
        message: 'A push portal needs a webhookSecret to sign its status updates',
      });
    }
    if (p.mode === 'push' && p.poll) {
      ctx.addIssue({
        code: 'custom',
        path: ['poll'],
        message: 'Only a pull portal is polled: remove poll or set mode: pull',
      });
    }
  });

export type PortalEntry = z.output<typeof portal>;

export const portalsFileSchema = z.strictObject({ portals: z.array(portal).min(1) });
