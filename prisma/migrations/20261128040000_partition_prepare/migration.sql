-- hub:no-transaction
-- Issue 16, decision 0026: audit_log and status_events become partitioned by month, the table
-- as it is now becoming the partition of everything before a bound. This migration does the
-- slow part while reads and writes go on, each statement committed on its own:
-- a unique index (id, key) built concurrently (what the partitioned primary key will match),
-- and CHECK (key < bound) added NOT VALID (a brief lock, no scan) then validated (a scan under
-- SHARE UPDATE EXCLUSIVE), so that ATTACH PARTITION in the next migration scans nothing.
-- The bound is the first day (UTC) of the month after next: rows written until the next
-- migration runs still satisfy it. Every statement can run again (an interrupted run resumes).
CREATE TABLE IF NOT EXISTS _hub_partition_bounds (
  table_name TEXT PRIMARY KEY,
  bound      TIMESTAMPTZ NOT NULL
);
INSERT INTO _hub_partition_bounds (table_name, bound)
SELECT t, (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '2 months') AT TIME ZONE 'UTC'
FROM unnest(ARRAY['audit_log', 'status_events']) AS t
ON CONFLICT (table_name) DO NOTHING;

-- A failed CREATE INDEX CONCURRENTLY leaves an invalid index behind: build it again.
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('audit_log_id_at_key') AND NOT indisvalid) THEN
    DROP INDEX audit_log_id_at_key;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('status_events_id_recorded_key') AND NOT indisvalid) THEN
    DROP INDEX status_events_id_recorded_key;
  END IF;
END $$;
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "audit_log_id_at_key" ON "audit_log" ("id", "at");
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "status_events_id_recorded_key" ON "status_events" ("id", "recorded_at");

DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'audit_log_before_bound') THEN
    EXECUTE format('ALTER TABLE audit_log ADD CONSTRAINT audit_log_before_bound CHECK (at < %L) NOT VALID',
      (SELECT bound FROM _hub_partition_bounds WHERE table_name = 'audit_log'));
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'status_events_before_bound') THEN
    EXECUTE format('ALTER TABLE status_events ADD CONSTRAINT status_events_before_bound CHECK (recorded_at < %L) NOT VALID',
      (SELECT bound FROM _hub_partition_bounds WHERE table_name = 'status_events'));
  END IF;
END $$;
ALTER TABLE "audit_log" VALIDATE CONSTRAINT "audit_log_before_bound";
ALTER TABLE "status_events" VALIDATE CONSTRAINT "status_events_before_bound";
