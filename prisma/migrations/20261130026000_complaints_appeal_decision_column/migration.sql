-- Issue 17 (insights' appeals at scale): the appellate level's decision kept on the grievance.
-- `appeal_decision` is the status of the first portal event after the appeal that reopens the
-- grievance or disposes of it (IN_PROGRESS, RESOLVED, REJECTED, CLOSED; the hub's and the
-- citizen's entries never are), `appeal_decided_at` its occurred_at; both NULL while the appeal
-- is pending or there is none (docs/governance-index.md, "Appeals decided and upheld"). The
-- views read them instead of probing every appealed grievance's timeline (about 200,000 probes
-- of every month of status_events for one large state at 10M).
--
-- The database keeps them, whichever hub writes: one definition (hub_appeal_decision) and two
-- triggers. A new portal entry moves the decision earlier if it is earlier; a changed appealed_at (an appeal, or a second one) recomputes it from the
-- timeline. Entries of one instant are taken in the lifecycle's tie order (IN_PROGRESS,
-- REJECTED, RESOLVED, CLOSED: lifecycle.rules TIE_ORDER), so the kept decision never depends on
-- which of them was inserted first. Neither touches updated_at: no rollup counts the decision. One short transaction,
-- bounded by the migrator's lock_timeout; the fill and the index run apart (20261130027000).
ALTER TABLE "complaints" ADD COLUMN IF NOT EXISTS "appeal_decided_at" TIMESTAMPTZ(3);
ALTER TABLE "complaints" ADD COLUMN IF NOT EXISTS "appeal_decision" "ComplaintStatus";

-- An appellate decision's place among entries of the same instant (TIE_ORDER).
CREATE OR REPLACE FUNCTION hub_appeal_decision_rank(status "ComplaintStatus") RETURNS INT
LANGUAGE sql IMMUTABLE AS $$
  SELECT array_position(ARRAY['IN_PROGRESS', 'REJECTED', 'RESOLVED', 'CLOSED']::"ComplaintStatus"[], status)
$$;

CREATE OR REPLACE FUNCTION hub_appeal_decision(
  complaint UUID, appealed TIMESTAMPTZ, OUT status "ComplaintStatus", OUT occurred_at TIMESTAMPTZ)
LANGUAGE sql STABLE AS $$
  SELECT e.status, e.occurred_at FROM status_events e
  WHERE e.complaint_id = complaint AND e.occurred_at > appealed AND e.source LIKE 'portal:%'
    AND e.status IN ('IN_PROGRESS', 'RESOLVED', 'REJECTED', 'CLOSED')
  ORDER BY e.occurred_at, hub_appeal_decision_rank(e.status) LIMIT 1
$$;

CREATE OR REPLACE FUNCTION _hub_status_events_appeal_decision() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE complaints SET appeal_decided_at = NEW.occurred_at, appeal_decision = NEW.status
  WHERE id = NEW.complaint_id AND appealed_at IS NOT NULL AND NEW.occurred_at > appealed_at
    AND (appeal_decided_at IS NULL OR appeal_decided_at > NEW.occurred_at
      OR (appeal_decided_at = NEW.occurred_at
        AND hub_appeal_decision_rank(NEW.status) < hub_appeal_decision_rank(appeal_decision)));
  RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER status_events_appeal_decision AFTER INSERT ON status_events
  FOR EACH ROW WHEN (NEW.source LIKE 'portal:%'
    AND NEW.status IN ('IN_PROGRESS', 'RESOLVED', 'REJECTED', 'CLOSED'))
  EXECUTE FUNCTION _hub_status_events_appeal_decision();

CREATE OR REPLACE FUNCTION _hub_complaints_appeal_decision() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  d RECORD;
BEGIN
  SELECT * INTO d FROM hub_appeal_decision(NEW.id, NEW.appealed_at);
  NEW.appeal_decided_at := CASE WHEN NEW.appealed_at IS NOT NULL THEN d.occurred_at END;
  NEW.appeal_decision := CASE WHEN NEW.appealed_at IS NOT NULL THEN d.status END;
  RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER complaints_appeal_decision BEFORE UPDATE OF appealed_at ON complaints
  FOR EACH ROW WHEN (NEW.appealed_at IS DISTINCT FROM OLD.appealed_at)
  EXECUTE FUNCTION _hub_complaints_appeal_decision();
