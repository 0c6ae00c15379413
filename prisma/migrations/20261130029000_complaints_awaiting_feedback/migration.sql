-- hub:no-transaction
-- The auto-close job (every minute) closes resolved or rejected grievances whose feedback did not
-- come in time, oldest first. It found them through the status index: every RESOLVED or REJECTED
-- grievance ever (those with feedback stay so for good), filtered and sorted on each run — at
-- 10 M grievances, millions of rows a minute. This index holds only the grievances it looks for
-- (awaiting feedback), by the instant the wait began, so a run reads the due ones and stops at
-- its limit. A new grievance has no entry (intake pays nothing). See lifecycle.sql.ts AUTO_CLOSE.
-- Every statement can run again.
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_index
             WHERE indexrelid = to_regclass('complaints_awaiting_feedback_idx') AND NOT indisvalid) THEN
    PERFORM set_config('lock_timeout', '5s', true);
    DROP INDEX complaints_awaiting_feedback_idx;
  END IF;
END $$;
CREATE INDEX CONCURRENTLY IF NOT EXISTS "complaints_awaiting_feedback_idx"
  ON "complaints" ((COALESCE("status_at", "resolved_at", "updated_at")))
  WHERE "status" IN ('RESOLVED', 'REJECTED') AND "feedback_at" IS NULL;
