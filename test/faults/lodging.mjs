// The fault and scale suites' client: lodges grievances like a careful citizen app (each with its
// own Idempotency-Key, retried on 5xx, 429, a 409 "still being handled" and network errors until
// answered), and the end check of delivery: every accepted grievance registered at its portal
// exactly once, nothing stuck.
import { grievanceBody } from '../../bench/lib/bodies.mjs';
import { sleep } from '../../bench/lib/infra.mjs';

/** Lodges `count` grievances at `rate` per second; resolves with what was accepted (key → tracking id). */
export async function lodgeAll(apiUrl, { count, rate, keyPrefix = 'faults', log = () => {} }) {
  const accepted = new Map();
  const refused = [];
  let gaveUp = 0;
  let next = 0;
  const start = Date.now();
  async function one(i) {
    const key = `${keyPrefix}-${i.toString(36).padStart(6, '0')}`;
    const body = JSON.stringify(grievanceBody());
    for (let attempt = 0; attempt < 400; attempt++) {
      try {
        const res = await fetch(`${apiUrl}/api/v1/complaints`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': key },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        const text = await res.text();
        if (res.status === 201) {
          accepted.set(key, JSON.parse(text).trackingId);
          return;
        }
        // The same key still being handled (a first try the client gave up on, slow under
        // load): the hub says to retry in a moment, and then answers as that first try did.
        const inProgress = res.status === 409 && text.includes('idempotency-key-conflict');
        if (res.status < 500 && res.status !== 429 && !inProgress) {
          refused.push({ status: res.status, text: text.slice(0, 200) });
          return;
        }
      } catch {
        // connection refused or timed out: retry with the same key
      }
      await sleep(250);
    }
    gaveUp += 1;
  }
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < count) {
        const i = next++;
        await sleep(start + (i * 1000) / rate - Date.now());
        await one(i);
        if (i % 2000 === 0 && i > 0) log(`lodged ${i}`);
      }
    }),
  );
  return { accepted, refused, gaveUp };
}

/**
 * Every accepted grievance against the sandboxes' registrations: lost (not registered at its
 * portal), duplicated (registered twice), wrong portal, reference mismatched, stuck (pending, or
 * failed without a reason).
 */
export async function deliveryVerdict(query, sandboxes, accepted) {
  const rows = await query(
    `SELECT c.tracking_id, d.id, d.portal_code, d.status, d.last_error, d.external_ref
     FROM complaints c JOIN dispatches d ON d.complaint_id = c.id`,
  );
  const regs = new Map();
  for (const code of Object.keys(sandboxes.urls))
    for (const r of await sandboxes.registrations(code))
      regs.set(r.clientRef, [
        ...(regs.get(r.clientRef) ?? []),
        { code, externalRef: r.externalRef },
      ]);
  const byTracking = new Map(rows.map((r) => [r.tracking_id, r]));
  const samples = {};
  const note = (kind, v) => ((samples[kind] ??= []).length < 3 ? samples[kind].push(v) : undefined);
  let lost = 0;
  for (const trackingId of accepted.values()) {
    const d = byTracking.get(trackingId);
    if (!d || !regs.get(d.id)?.some((r) => r.code === d.portal_code)) {
      lost += 1;
      note('lost', { trackingId, dispatch: d ?? null });
    }
  }
  let duplicated = 0;
  let wrongPortal = 0;
  let mismatched = 0;
  const byDispatch = new Map(rows.map((r) => [r.id, r]));
  for (const [clientRef, list] of regs) {
    if (list.length > 1) {
      duplicated += 1;
      note('duplicated', { clientRef, list });
    }
    const d = byDispatch.get(clientRef);
    if (!d || list.some((r) => r.code !== d.portal_code)) {
      wrongPortal += 1;
      note('wrongPortal', { clientRef, list });
    } else if (d.status === 'DELIVERED' && d.external_ref !== list[0].externalRef) {
      mismatched += 1;
      note('mismatched', { clientRef, list, externalRef: d.external_ref });
    }
  }
  const pending = rows.filter((r) => r.status === 'PENDING').length;
  const failedNoReason = rows.filter((r) => r.status === 'DISPATCH_FAILED' && !r.last_error).length;
  for (const r of rows.filter((x) => x.status !== 'DELIVERED').slice(0, 3)) note('notDelivered', r);
  return {
    lost,
    duplicated,
    wrongPortal,
    mismatched,
    pending,
    stuck: pending + failedNoReason,
    failed: rows.filter((r) => r.status === 'DISPATCH_FAILED').length,
    samples,
  };
}
