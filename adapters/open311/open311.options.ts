import { z } from 'zod';
import { CANONICAL_STATUSES } from '../adapter';
import { HUB_ONLY_STATUSES } from '../status-map';

const portalStatus = z
  .enum(CANONICAL_STATUSES)
  .refine(
    (s) => !HUB_ONLY_STATUSES.includes(s),
    `only the hub sets ${HUB_ONLY_STATUSES.join(', ')}`,
  );

/**
 * GeoReport v2 statuses (`open`, `closed`) and mySociety's extended ones
 * (`servicerequestupdates`). `closed` alone says nothing about redress: CLOSED, not RESOLVED.
 */
export const OPEN311_STATUS_TABLE = {
  open: 'DELIVERED',
  investigating: 'IN_PROGRESS',
  in_progress: 'IN_PROGRESS',
  action_scheduled: 'IN_PROGRESS',
  internal_referral: 'IN_PROGRESS',
  fixed: 'RESOLVED',
  closed: 'CLOSED',
  duplicate: 'REJECTED',
  no_further_action: 'REJECTED',
  unable_to_fix: 'REJECTED',
  not_councils_responsibility: 'TRANSFERRED',
} as const;

const code = z.string().min(1).max(100);

export const open311OptionsSchema = z.strictObject({
  /** Response format: the suffix of every path (`requests.xml`). XML is the one the spec requires. */
  format: z.enum(['xml', 'json']).default('xml'),
  /** Sent on every call when the endpoint serves several jurisdictions (e.g. `lmc.up.nic.in`). */
  jurisdictionId: z.string().min(1).optional(),
  /** Hub category → the city's `service_code`. */
  serviceCodes: z.record(z.string().min(1), code),
  /** Service code for a hub category missing from serviceCodes; without it such a grievance is refused. */
  defaultServiceCode: code.optional(),
  /** Service attribute (`attribute[<code>]`) carrying our dispatch id, when the city defines one. */
  clientRefAttribute: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be an attribute code (letters, digits, _ and -)')
    .optional(),
  /**
   * Status source: `requests` polls GET requests (GeoReport's open/closed of our requests);
   * `servicerequestupdates` reads mySociety's update feed instead (investigating, fixed,
   * not_councils_responsibility …), keeping the updates of our requests.
   */
  statusUpdates: z.enum(['requests', 'servicerequestupdates']).default('requests'),
  /**
   * How the hub finds its own requests: `reference` asks GET requests by `service_request_id`
   * (a comma-delimited list, as the spec allows) for the open references the hub gives each
   * poll; `window` scans GET requests over the last `pollWindowDays` for the reference in each
   * description (for a server that cannot take a list of ids).
   */
  pollBy: z.enum(['reference', 'window']).default('reference'),
  /** Polling by reference: how many open references the hub gives one poll (the rest, later polls). */
  refsPerPoll: z.number().int().min(1).max(10_000).default(200),
  /** Polling by reference: at most this many ids in one GET requests (the list's URL length). */
  idsPerRequest: z.number().int().min(1).max(200).default(50),
  /** With `pollBy: window`, how far back GET requests looks (the spec allows at most 90 days). */
  pollWindowDays: z.number().int().min(1).max(90).default(90),
  /** Merged over the built-in table (OPEN311_STATUS_TABLE), for a city's own extended statuses. */
  statusMap: z.record(z.string().min(1), portalStatus).default({}),
});

export type Open311Options = z.infer<typeof open311OptionsSchema>;
