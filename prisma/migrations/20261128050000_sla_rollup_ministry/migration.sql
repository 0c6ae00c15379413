-- Issue 17: every rollup row is broken down by ministry as well (CPGRAMS organisation code, '-'
-- for state subjects), so the ministry grouping and a ministry filter are read from the rollup
-- like the other views. A row stays keyed by its state too (20261126010000): a district is only
-- ever counted within its state.
ALTER TABLE "sla_rollup" ADD COLUMN "ministry" TEXT NOT NULL DEFAULT '';
-- The ministry before the day in the key: a view reads one ministry's rows (every ministry: '')
-- of a dimension for a set of days, one index range, not the rows of every ministry filtered.
ALTER TABLE "sla_rollup" DROP CONSTRAINT "sla_rollup_pkey";
ALTER TABLE "sla_rollup" ADD CONSTRAINT "sla_rollup_pkey"
  PRIMARY KEY ("grain", "dim", "ministry", "day", "state_code", "key");

-- The rows written before have no ministry: the next refresh rebuilds everything (no watermark).
TRUNCATE "sla_rollup";
DELETE FROM "sla_rollup_state";

-- The live count of open grievances past their deadline groups and filters by ministry too:
-- the index covers it, so the count stays an index-only scan.
DROP INDEX "complaints_open_due_idx";
CREATE INDEX "complaints_open_due_idx" ON "complaints" ("sla_due_at", "id")
  INCLUDE ("primary_portal_code", "state_code", "district_code", "category", "created_at",
    "ministry_code")
  WHERE "resolved_at" IS NULL AND "sla_due_at" IS NOT NULL;

-- The breach list sorted by time received walks open grievances past due in that order; with a
-- filter, walking every grievance by created_at instead took seconds at 1M (docs/benchmarks.md).
CREATE INDEX "complaints_open_received_idx" ON "complaints" ("created_at", "id")
  INCLUDE ("sla_due_at", "primary_portal_code", "state_code", "district_code", "category",
    "ministry_code")
  WHERE "resolved_at" IS NULL AND "sla_due_at" IS NOT NULL;
