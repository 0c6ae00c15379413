-- hub:no-transaction
-- Issue 15: the repeat check's cluster candidates (same district, category and pincode, lodged
-- within the window, newest first) read through one index with the pincode in it. The index it
-- replaces had no pincode, so the check read every grievance of the district and category in
-- the window and dropped the other pincodes' (at 1,000,000 stored: 700 heap pages against 301,
-- docs/benchmarks.md#repeat-detection). Nothing else reads the old index.
--
-- Built concurrently, statement by statement (the migrator's no-transaction mode), so intake
-- goes on writing to complaints while it builds; every statement can run again.
-- A failed CREATE INDEX CONCURRENTLY leaves an invalid index behind: build it again.
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('complaints_cluster_candidates_idx') AND NOT indisvalid) THEN
    DROP INDEX complaints_cluster_candidates_idx;
  END IF;
END $$;
CREATE INDEX CONCURRENTLY IF NOT EXISTS "complaints_cluster_candidates_idx"
  ON "complaints" ("district_code", "category", "pincode", "created_at");
DROP INDEX CONCURRENTLY IF EXISTS "complaints_district_category_idx";
