// Portals push status while the faults run: every grievance delivered to a push portal gets two
// signed events (work started, disposed with remarks), each batch sent twice (a portal retrying),
// retried on 5xx and network errors like a portal would. The end check: every pushed event
// stored once, processed, and one timeline entry for it — applied once, whatever failed meanwhile.
import { signedPush, statusBatches } from '../../bench/lib/status-ingest.mjs';
import { sleep } from '../../bench/lib/infra.mjs';

const PUSH_PORTALS = ['UP-IGRS', 'MH-AAPLESARKAR'];

export function startStatusPushes(apiUrl, query, log) {
  const pushed = new Map(); // eventId → portalCode
  const done = new Set(); // externalRefs already pushed
  let stopping = false;
  let failures = 0;

  async function send(batch) {
    for (let attempt = 0; attempt < 200; attempt++) {
      try {
        const res = await signedPush(apiUrl, batch.portalCode, batch.events);
        await res.arrayBuffer();
        if (res.status === 202 || res.status === 200) return true;
        if (res.status < 500) {
          failures += 1;
          log(`status push refused ${res.status} (${batch.portalCode})`);
          return false;
        }
      } catch {
        // hub unreachable: retry the same events
      }
      await sleep(250);
    }
    failures += 1;
    return false;
  }

  async function pass() {
    const rows = await query(
      `SELECT portal_code AS "portalCode", external_ref AS "externalRef" FROM dispatches
       WHERE status = 'DELIVERED' AND portal_code = ANY($1) ORDER BY delivered_at`,
      [PUSH_PORTALS],
    );
    const fresh = rows.filter((r) => !done.has(r.externalRef)).slice(0, 400);
    if (fresh.length === 0) return 0;
    for (const r of fresh) done.add(r.externalRef);
    for (const batch of statusBatches(fresh, 100, Date.now())) {
      for (const e of batch.events) pushed.set(e.eventId, batch.portalCode);
      // Sent twice: the second copy must change nothing.
      if (await send(batch)) await send(batch);
    }
    return fresh.length;
  }

  const running = (async () => {
    while (!stopping) {
      await pass().catch(() => undefined); // PostgreSQL away: the next pass catches up
      await sleep(1_000);
    }
    while ((await pass()) > 0);
  })();

  return {
    pushed,
    get failures() {
      return failures;
    },
    /** Pushes for everything delivered so far, then stops. */
    finish: async () => {
      stopping = true;
      await running;
    },
  };
}

/** Counts pushed events not (yet) applied exactly once. */
export async function checkStatuses(query, pushed) {
  const rows = await query(
    `SELECT e.portal_code, e.event_id, e.processed_at IS NOT NULL AS processed, e.outcome,
            (SELECT count(*)::int FROM status_events s
             WHERE s.complaint_id = e.complaint_id AND s.occurred_at = e.occurred_at
               AND s.status = e.status AND s.source = 'portal:' || e.portal_code) AS entries
     FROM inbound_events e WHERE e.event_id LIKE 'bench-%'`,
  );
  const byEvent = new Map(rows.map((r) => [`${r.portal_code}|${r.event_id}`, r]));
  let missing = 0;
  let unprocessed = 0;
  let twice = 0;
  const samples = [];
  for (const [eventId, portal] of pushed) {
    const r = byEvent.get(`${portal}|${eventId}`);
    if (!r) missing += 1;
    // Processed but applied without its timeline entry counts as not applied.
    else if (!r.processed || (r.outcome === 'applied' && r.entries === 0)) unprocessed += 1;
    else if (r.entries > 1) twice += 1;
    if ((!r || !r.processed || r.entries !== 1) && samples.length < 3)
      samples.push({ eventId, portal, row: r ?? null });
  }
  const notApplied = rows.filter((r) => r.processed && r.outcome !== 'applied').length;
  return { pushed: pushed.size, missing, unprocessed, twice, notApplied, samples };
}
