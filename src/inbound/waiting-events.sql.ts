/**
 * The CTEs that move waiting status events to inbound_events once some dispatch holds their
 * reference: `released` deletes them from waiting_status_events, `inbound` stores them (a re-poll
 * already stored is a duplicate). `dispatches` names a relation with the dispatches' id,
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
  ), inbound AS (
    INSERT INTO inbound_events (id, portal_code, event_id, external_ref, dispatch_id,
      complaint_id, native_status, status, occurred_at, remarks, transferred_to, via, raw,
      correlation_id)
    SELECT gen_random_uuid(), portal_code, event_id, external_ref, dispatch_id, complaint_id,
           native_status, status, occurred_at, remarks, transferred_to, via, raw, correlation_id
    FROM released
    ON CONFLICT (portal_code, event_id) DO NOTHING
  )`;
}
