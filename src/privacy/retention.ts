import { DAY_MS } from '../platform/time';

// How long the hub keeps what it keeps (DPDP: no longer than needed). Personal data of closed
// grievances: PII_RETENTION_DAYS (config). The pii-retention job erases what is past it.

/**
 * How long an Idempotency-Key is honoured: a retry comes within minutes, a day is generous. The
 * stored response holds the access token, so it is kept no longer. Past it the key lodges anew
 * (intake ignores it) and the pii-retention job deletes the record.
 */
export const IDEMPOTENCY_KEY_TTL_MS = DAY_MS;

/** How often the pii-retention job runs: a stored response lives at most TTL + this. */
export const RETENTION_EVERY_MS = 6 * 3_600_000;

/**
 * How often the partition-maintenance job runs. Three months are created ahead, so a run that
 * fails (an error in the log, hub_background_failures_total, /health/ready degraded) has months
 * to be fixed before a row finds no partition.
 */
export const PARTITIONS_EVERY_MS = 3_600_000;
