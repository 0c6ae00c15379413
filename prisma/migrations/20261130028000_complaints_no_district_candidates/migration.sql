-- hub:no-transaction
-- Issue 15: the cluster candidates of a grievance that names no district, newest first. The
-- (district_code, category, pincode, created_at) index serves `district_code IS NULL` only as a
-- range, not as an equality, so PostgreSQL could not read it in created_at order: every link of
-- such a grievance read and sorted the whole window at its place (3,087 rows, 1.7 s for one link
-- at a busy Pune pincode, docs/benchmarks.md#repeat-detection). Here the district is the
-- predicate, and category and pincode are equalities: the newest come first, and the limit
-- stops the scan (the state is a filter: a PIN code lies in one state but for a few). Small:
-- only grievances without a district.
-- Every statement can run again.
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_index
             WHERE indexrelid = to_regclass('complaints_no_district_candidates_idx') AND NOT indisvalid) THEN
    -- A failed build's leftover; the drop waits for no long transaction (this statement runs
    -- outside the migrator's transaction and its lock_timeout).
    PERFORM set_config('lock_timeout', '5s', true);
    DROP INDEX complaints_no_district_candidates_idx;
  END IF;
END $$;
CREATE INDEX CONCURRENTLY IF NOT EXISTS "complaints_no_district_candidates_idx"
  ON "complaints" ("category", "pincode", "created_at")
  WHERE "district_code" IS NULL;
