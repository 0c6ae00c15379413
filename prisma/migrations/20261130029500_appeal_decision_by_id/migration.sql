-- The appeal decision's trigger on status_events (20261130026000) reads its grievance by id only.
-- It runs for every portal entry that reopens or disposes of a grievance (status ingest's hot
-- path), and its UPDATE said `appealed_at IS NOT NULL AND NEW.occurred_at > appealed_at`: both
-- imply the predicate of complaints_appeals_idx (20261130027000, WHERE appealed_at IS NOT NULL),
-- so that index was a way in, with `id = …` as a mere filter. While the statistics know of few or
-- no appeals (a table analyzed before the appeals came), both plans (custom and generic) read
-- every appealed grievance ever through it, once per entry, and PL/pgSQL keeps the plan for the
-- session. The same condition is now written as `(NEW.occurred_at > appealed_at) IS TRUE`: true
-- for exactly the same rows (a NULL appealed_at makes the comparison NULL, so not TRUE), but not
-- strict, so it proves nothing about appealed_at and the partial index is not a candidate; the
-- only index condition left is `id = NEW.complaint_id` (complaints_pkey). Still one UPDATE: a
-- concurrent change of the grievance is re-checked against the newest row (read committed), as
-- before. Replacing the function drops every session's cached plan of it.
-- The other trigger (_hub_complaints_appeal_decision, BEFORE UPDATE OF appealed_at) reads no
-- complaints: hub_appeal_decision reads status_events by (complaint_id, occurred_at); unchanged.
-- Test: test/integration/appeal-decision-plan.int-spec.ts. Can run again (CREATE OR REPLACE).
CREATE OR REPLACE FUNCTION _hub_status_events_appeal_decision() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE complaints SET appeal_decided_at = NEW.occurred_at, appeal_decision = NEW.status
  WHERE id = NEW.complaint_id AND (NEW.occurred_at > appealed_at) IS TRUE
    AND (appeal_decided_at IS NULL OR appeal_decided_at > NEW.occurred_at
      OR (appeal_decided_at = NEW.occurred_at
        AND hub_appeal_decision_rank(NEW.status) < hub_appeal_decision_rank(appeal_decision)));
  RETURN NULL;
END $$;
