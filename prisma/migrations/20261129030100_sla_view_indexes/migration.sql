-- hub:no-transaction
-- Issue 17: the indexes the analyst views read, built concurrently, statement by statement (the
-- migrator's no-transaction mode), so intake and status changes go on writing to complaints
-- while they build (at 10 M grievances a plain CREATE INDEX would block them for minutes). Every
-- statement can run again; a failed CREATE INDEX CONCURRENTLY leaves an invalid index behind,
-- dropped first and built again.
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('complaints_open_idx') AND NOT indisvalid) THEN
    DROP INDEX complaints_open_idx;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('complaints_appealed_idx') AND NOT indisvalid) THEN
    DROP INDEX complaints_appealed_idx;
  END IF;
END $$;

-- Ageing counts open grievances with or without a deadline: the index of open grievances by
-- time received now holds them all (the breach list, open and past due, implies its predicate
-- and still uses it), so ageing is an index-only scan instead of a scan of the table. Built
-- under a new name, the old one dropped, the new one renamed to the old name.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "complaints_open_idx" ON "complaints" ("created_at", "id")
  INCLUDE ("sla_due_at", "primary_portal_code", "state_code", "district_code", "category",
    "ministry_code")
  WHERE "resolved_at" IS NULL;
DROP INDEX CONCURRENTLY IF EXISTS "complaints_open_received_idx";
ALTER INDEX IF EXISTS "complaints_open_idx" RENAME TO "complaints_open_received_idx";

-- Appeals pending and decided (insights) read appealed grievances only: an index of them by
-- time received, covering the filters, instead of every grievance of the range.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "complaints_appealed_idx" ON "complaints" ("created_at", "id")
  INCLUDE ("appealed_at", "appeal_due_at", "primary_portal_code", "state_code", "district_code",
    "category", "ministry_code")
  WHERE "appealed_at" IS NOT NULL;
