-- Issue 15: the repeat check's cluster candidates (same district, category and pincode, lodged
-- within the window, newest first) read through one index with the pincode in it. The index it
-- replaces had no pincode, so the check read every grievance of the district and category in
-- the window and dropped the other pincodes' (at 1,000,000 stored: 700 heap pages against 301,
-- docs/benchmarks.md#repeat-detection). Nothing else reads the old index.
--
-- The migrator runs each migration in a transaction, where CREATE INDEX CONCURRENTLY is refused:
-- this CREATE INDEX holds writes to complaints while it builds (about 20 s for 1,000,000 rows on
-- a loaded 2-core machine). On a large table, build it beforehand without blocking intake:
--   CREATE INDEX CONCURRENTLY IF NOT EXISTS "complaints_cluster_candidates_idx"
--     ON "complaints" ("district_code", "category", "pincode", "created_at");
-- and this migration finds it there (IF NOT EXISTS) and only drops the old one.
CREATE INDEX IF NOT EXISTS "complaints_cluster_candidates_idx"
  ON "complaints" ("district_code", "category", "pincode", "created_at");
DROP INDEX IF EXISTS "complaints_district_category_idx";
