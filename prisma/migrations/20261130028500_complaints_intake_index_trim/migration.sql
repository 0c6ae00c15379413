-- hub:no-transaction
-- Issue 16 §5: two index entries fewer per intake (each grievance inserted, and each status
-- change, writes an entry in every index of `complaints`: updated_at changes, so no update is
-- HOT). An audit of every statement on the table (docs/benchmarks.md, "Which indexes intake
-- pays for"):
-- * complaints_status_at_idx (status, status_at): no statement uses its second column (auto-close
--   orders by status_at but bounds coalesce(status_at, …), overdue appeals and staff filters use
--   the status only), and complaints_status_portal_idx serves each of them as well. It was the
--   index behind the relay's 19 s plan after a backlog (decision 0034).
-- * complaints_closed_pii_idx (closed_at) WHERE complainant_cipher IS NOT NULL: every open
--   grievance had an entry (closed_at NULL). The erasure reads `closed_at < cutoff`, which
--   implies closed_at IS NOT NULL, so the same index with that in its predicate serves it and
--   costs intake nothing: complaints_pii_retained_idx.
-- Built before the old one is dropped; concurrently, no long lock. Every statement can run again.
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_index
             WHERE indexrelid = to_regclass('complaints_pii_retained_idx') AND NOT indisvalid) THEN
    PERFORM set_config('lock_timeout', '5s', true);
    DROP INDEX complaints_pii_retained_idx;
  END IF;
END $$;
CREATE INDEX CONCURRENTLY IF NOT EXISTS "complaints_pii_retained_idx" ON "complaints" ("closed_at")
  WHERE "complainant_cipher" IS NOT NULL AND "closed_at" IS NOT NULL;
DROP INDEX CONCURRENTLY IF EXISTS "complaints_closed_pii_idx";
DROP INDEX CONCURRENTLY IF EXISTS "complaints_status_at_idx";
