// Status ingest: portals push signed batches of status events (the hub's own format, ≤ 500 per
// request); the figure is events *applied* (inbound event processed by the worker) per second.
// Reference in the same run: the same rows written by raw multi-row INSERTs into a copy of
// inbound_events — the database's own ceiling for storing them.
import { createHmac, randomUUID } from 'node:crypto';
import pg from 'pg';
import { PORTAL_SECRETS, cpuSeconds, sleep } from './infra.mjs';

const SECRETS = {
  'UP-IGRS': PORTAL_SECRETS.UP_IGRS_WEBHOOK_SECRET,
  'MH-AAPLESARKAR': PORTAL_SECRETS.MH_AAPLESARKAR_WEBHOOK_SECRET,
};
// Native statuses of each push portal: work starts, then a disposal with the officer's remarks.
const STEPS = {
  'UP-IGRS': ['Under Process', 'Nistarit'],
  'MH-AAPLESARKAR': ['In Process', 'Disposed'],
};

/** Signed like a portal does: sha256=HMAC(secret, timestamp + "." + body). */
export function signedPush(apiUrl, portalCode, events, secret = SECRETS[portalCode]) {
  const body = JSON.stringify({ events });
  const ts = String(Math.floor(Date.now() / 1000));
  const sig = createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
  return fetch(`${apiUrl}/api/v1/portals/${portalCode}/status-updates`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hub-timestamp': ts,
      'x-hub-signature': `sha256=${sig}`,
    },
    body,
  });
}

/**
 * Two events per delivered grievance at a push portal, in batches of `batchSize` per portal.
 * Dated from `base` on: the hub refuses an event older than its grievance's lodging, or more than
 * 300 s ahead of its own clock (the later events here are at most ~20 s ahead).
 */
export function statusBatches(delivered, batchSize = 500, base = Date.now()) {
  const byPortal = new Map();
  for (const [k, d] of delivered.entries()) {
    if (!STEPS[d.portalCode]) continue;
    const list = byPortal.get(d.portalCode) ?? [];
    STEPS[d.portalCode].forEach((native, step) =>
      list.push({
        eventId: `bench-${d.externalRef}-${step}`,
        externalRef: d.externalRef,
        status: native,
        occurredAt: new Date(base + k + step * 10_000).toISOString(),
        ...(step === 1 && { remarks: 'Street lights repaired by the ward office on inspection.' }),
      }),
    );
    byPortal.set(d.portalCode, list);
  }
  const batches = [];
  for (const [portalCode, events] of byPortal)
    for (let i = 0; i < events.length; i += batchSize)
      batches.push({ portalCode, events: events.slice(i, i + batchSize) });
  return batches;
}

/**
 * Pushes every batch (`connections` at a time), then waits until the worker applied them all.
 * Returns HTTP and applied rates; `applied/s` counts from the first push to the last processed_at.
 */
export async function statusIngest(
  sql,
  apiUrl,
  batches,
  { connections = 4, timeoutMs = 300_000, pids = {} },
) {
  const total = batches.reduce((n, b) => n + b.events.length, 0);
  const cpuBefore = Object.fromEntries(Object.entries(pids).map(([k, p]) => [k, cpuSeconds(p)]));
  const queue = [...batches];
  const statuses = {};
  const startedAt = Date.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      for (let b = queue.shift(); b; b = queue.shift()) {
        const res = await signedPush(apiUrl, b.portalCode, b.events);
        await res.arrayBuffer();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      }
    }),
  );
  const storedAt = Date.now();
  const deadline = Date.now() + timeoutMs;
  let row;
  for (;;) {
    ({
      rows: [row],
    } = await sql.query(
      `SELECT count(*) FILTER (WHERE processed_at IS NOT NULL)::int AS applied, count(*)::int AS stored,
              extract(epoch FROM max(processed_at)) * 1000 AS last
       FROM inbound_events WHERE event_id LIKE 'bench-%'`,
    ));
    if (row.applied >= total || Date.now() > deadline) break;
    await sleep(100);
  }
  const appliedSeconds = (Number(row.last) - startedAt) / 1000;
  // CPU per event applied, per process: what the machine's other load does not change much.
  const cpuMsPerEvent = Object.fromEntries(
    Object.entries(pids).map(([k, p]) => [
      k,
      ((cpuSeconds(p) - cpuBefore[k]) * 1000) / Math.max(row.applied, 1),
    ]),
  );
  const { rows: outcomes } = await sql.query(
    `SELECT coalesce(outcome, 'pending') AS outcome, count(*)::int AS n FROM inbound_events
     WHERE event_id LIKE 'bench-%' GROUP BY 1 ORDER BY 2 DESC`,
  );
  return {
    events: total,
    requests: batches.length,
    httpStatuses: statuses,
    stored: row.stored,
    applied: row.applied,
    storedPerSecond: total / ((storedAt - startedAt) / 1000),
    appliedSeconds,
    appliedPerSecond: row.applied / appliedSeconds,
    outcomes: Object.fromEntries(outcomes.map((o) => [o.outcome, o.n])),
    cpuMsPerEvent,
  };
}

/** The same rows through raw multi-row INSERTs into a scratch copy of inbound_events. */
export async function rawInsertRate(databaseUrl, batches, { clients = 4 } = {}) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: clients });
  await pool.query(
    'CREATE TABLE bench_inbound (LIKE inbound_events INCLUDING DEFAULTS INCLUDING INDEXES)',
  );
  const queue = [...batches];
  const started = Date.now();
  let rows = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let b = queue.shift(); b; b = queue.shift()) {
        const values = [];
        const params = [];
        for (const e of b.events) {
          const p = params.length;
          params.push(randomUUID(), b.portalCode, e.eventId, e.externalRef, randomUUID());
          params.push(randomUUID(), e.status, e.occurredAt, e.remarks ?? null, JSON.stringify(e));
          values.push(
            `($${p + 1}::uuid,$${p + 2},$${p + 3},$${p + 4},$${p + 5}::uuid,$${p + 6}::uuid,$${p + 7},'IN_PROGRESS',$${p + 8}::timestamptz,$${p + 9},'push',$${p + 10}::jsonb,'bench')`,
          );
        }
        await pool.query(
          `INSERT INTO bench_inbound (id, portal_code, event_id, external_ref, dispatch_id, complaint_id,
             native_status, status, occurred_at, remarks, via, raw, correlation_id)
           VALUES ${values.join(',')} ON CONFLICT DO NOTHING`,
          params,
        );
        rows += b.events.length;
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  await pool.query('DROP TABLE bench_inbound');
  await pool.end();
  return { rows, rowsPerSecond: rows / seconds };
}
