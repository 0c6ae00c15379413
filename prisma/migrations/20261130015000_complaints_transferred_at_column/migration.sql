-- Issue 17 (District Governance Index at scale): complaints.transferred_at, when a portal first
-- transferred the grievance (the earliest occurred_at of a TRANSFERRED entry on its timeline,
-- applied or not), written by this version's lifecycle. An older hub writes the timeline entry
-- only: the trigger on status_events fills the column for it until the contract migration
-- (20261130030100_complaints_transferred_at_contract) drops it. The trigger exists before the
-- fill from the timeline (20261130020000), so no entry falls between the two. One short
-- transaction (its locks bounded by the migrator's lock_timeout); the fill and the indexes run
-- apart, without one.
ALTER TABLE "complaints" ADD COLUMN IF NOT EXISTS "transferred_at" TIMESTAMPTZ(3);

CREATE OR REPLACE FUNCTION _hub_complaints_transferred_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE complaints SET transferred_at = least(transferred_at, NEW.occurred_at)
  WHERE id = NEW.complaint_id
    AND (transferred_at IS NULL OR transferred_at > NEW.occurred_at);
  RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER status_events_transferred_at AFTER INSERT ON status_events
  FOR EACH ROW WHEN (NEW.status = 'TRANSFERRED')
  EXECUTE FUNCTION _hub_complaints_transferred_at();
