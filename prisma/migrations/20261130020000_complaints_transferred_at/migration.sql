-- hub:no-transaction
-- Issue 17 (District Governance Index at scale; after 20261130015000, which adds the column and
-- the trigger for an older hub): complaints.transferred_at filled from the timeline, 5,000
-- grievances per committed batch, then two partial indexes built concurrently: transferred
-- grievances and repeats (grievances that joined a cluster another grievance started), each by
-- the instant received with its place. The District Governance Index reads its sparse counts
-- from them. Every statement can run again.
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
