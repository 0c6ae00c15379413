// CPGRAMS is polled. Its officers move each grievance within a few hundred ms of registration,
// often before the hub has recorded the reference (answers lost, a worker frozen): every change
// in the portal's feed must still end up stored and processed exactly once.
import { PORTAL_SECRETS, portalsOf } from '../../bench/lib/infra.mjs';

async function readFeed(baseUrl) {
  const { credentialHeader, credentialEnv } = portalsOf().find((p) => p.code === 'CPGRAMS');
  const headers = credentialHeader ? { [credentialHeader]: PORTAL_SECRETS[credentialEnv] } : {};
  const changes = [];
  let since = '0';
  for (;;) {
    const res = await fetch(`${baseUrl}/api/v1/status-changes?since=${since}&limit=500`, {
      headers,
    });
    const page = await res.json();
    changes.push(...page.changes);
    if (!page.hasMore || page.changes.length === 0) return changes;
    since = page.nextCursor;
  }
}

/** Feed changes not stored and processed once as inbound events; those still waiting for their reference. */
export async function checkPolledStatuses(query, baseUrl) {
  const changes = await readFeed(baseUrl);
  const rows = await query(
    `SELECT event_id, processed_at IS NOT NULL AS processed FROM inbound_events
     WHERE portal_code = 'CPGRAMS'`,
  );
  const [{ waiting, expired }] = await query(
    `SELECT count(*) FILTER (WHERE expired_at IS NULL)::int AS waiting,
            count(*) FILTER (WHERE expired_at IS NOT NULL)::int AS expired
     FROM waiting_status_events WHERE portal_code = 'CPGRAMS'`,
  ).catch(() => [{ waiting: null, expired: null }]); // a build from before the table
  const processed = new Map(rows.map((r) => [r.event_id, r.processed]));
  const lost = changes.filter((c) => processed.get(c.changeId) !== true);
  return {
    polled: changes.length,
    lost: lost.length,
    waiting,
    expired,
    samples: lost.slice(0, 3),
  };
}
