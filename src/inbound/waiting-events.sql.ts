/**
 * The CTEs that move waiting status events to inbound_events once some dispatch holds their
 * reference: `released` deletes them from waiting_status_events, `inbound` stores them
 * (storeInboundEvents: a re-poll already stored is a duplicate). `dispatches` names a relation with the dispatches' id,
 * complaint_id, portal_code and external_ref: the table itself (the sweep) or the rows a delivery
 * statement just settled (markDelivered, same statement).
 *
 * One dated before its grievance was lodged stays waiting and expires: portal times are input,
 * not truth, and the lodging is the bound the poll could not check without the reference.
 */
export function releaseWaitingEvents(dispatches: string): string {
  return `
  released AS (
    DELETE FROM waiting_status_events w USING ${dispatches} d, complaints c
    WHERE w.portal_code = d.portal_code AND w.external_ref = d.external_ref
      AND c.id = d.complaint_id AND w.occurred_at >= c.created_at
    RETURNING w.*, d.id AS dispatch_id, d.complaint_id
  ), ${storeInboundEvents('released')}`;
}

/**
 * The CTEs that store status events once each: `inbound_key` claims each event's (portal_code,
 * event_id) in inbound_event_keys, `inbound` stores the events whose key was new and returns
 * their event_id. `events` names a relation with inbound_events' columns (status as
 * "ComplaintStatus" or text, raw as jsonb or text). The keys table is the once-per-event guard:
 * inbound_events is partitioned by month and cannot hold a unique across months (decision
 * 0031). Two statements storing the same key: the second waits for the first's commit and skips.
 */
export function storeInboundEvents(events: string): string {
  return `
  inbound_key AS (
    INSERT INTO inbound_event_keys (portal_code, event_id)
    SELECT portal_code, event_id FROM ${events}
    ON CONFLICT (portal_code, event_id) DO NOTHING
    RETURNING portal_code, event_id, received_at
  ), inbound AS (
    INSERT INTO inbound_events (id, portal_code, event_id, external_ref, dispatch_id,
      complaint_id, native_status, status, occurred_at, remarks, transferred_to, via, raw,
      correlation_id, received_at)
    SELECT DISTINCT ON (v.portal_code, v.event_id) gen_random_uuid(), v.portal_code, v.event_id,
           v.external_ref, v.dispatch_id, v.complaint_id, v.native_status,
           v.status::text::"ComplaintStatus", v.occurred_at, v.remarks, v.transferred_to, v.via,
           v.raw::text::jsonb, v.correlation_id, k.received_at
    FROM ${events} v JOIN inbound_key k USING (portal_code, event_id)
    RETURNING event_id
  )`;
}
