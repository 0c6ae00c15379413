-- hub:no-transaction
-- Issue 17 (District Governance Index at scale): the index's sparse counts are read from small
-- partial indexes instead of every grievance of a state's two months. complaints gets
-- transferred_at: when a portal first transferred the grievance (the earliest occurred_at of a
-- TRANSFERRED entry on its timeline, applied or not), written by this version's lifecycle and
-- filled here from the timeline. An older hub writes the timeline entry only: a trigger on
-- status_events fills the column for it until the contract migration
-- (20261130030100_complaints_transferred_at_contract, run once every process runs this
-- version) drops the trigger and fills again whatever was missed. Then two partial indexes are
-- built concurrently: transferred grievances and repeats (grievances that joined a cluster
-- another grievance started), each by the instant received with its place. Every statement can
-- run again.
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

DO $$
DECLARE
  last_id UUID := '00000000-0000-0000-0000-000000000000';
  batch UUID[];
BEGIN
  LOOP
    SELECT array_agg(complaint_id ORDER BY complaint_id) INTO batch
    FROM (SELECT DISTINCT complaint_id FROM status_events
          WHERE status = 'TRANSFERRED' AND complaint_id > last_id
          ORDER BY complaint_id LIMIT 5000) b;
    EXIT WHEN batch IS NULL;
    UPDATE complaints c SET transferred_at = least(c.transferred_at, t.first)
    FROM (SELECT complaint_id, min(occurred_at) AS first FROM status_events
          WHERE status = 'TRANSFERRED' AND complaint_id = ANY(batch) GROUP BY complaint_id) t
    WHERE c.id = t.complaint_id AND (c.transferred_at IS NULL OR c.transferred_at > t.first);
    last_id := batch[array_length(batch, 1)];
    COMMIT;
  END LOOP;
END $$;

DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('complaints_transferred_idx') AND NOT indisvalid) THEN
    DROP INDEX complaints_transferred_idx;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('complaints_repeated_idx') AND NOT indisvalid) THEN
    DROP INDEX complaints_repeated_idx;
  END IF;
END $$;
CREATE INDEX CONCURRENTLY IF NOT EXISTS "complaints_transferred_idx" ON "complaints" ("created_at")
  INCLUDE ("state_code", "district_code") WHERE "transferred_at" IS NOT NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS "complaints_repeated_idx" ON "complaints" ("created_at")
  INCLUDE ("state_code", "district_code") WHERE "cluster_id" <> "id";
