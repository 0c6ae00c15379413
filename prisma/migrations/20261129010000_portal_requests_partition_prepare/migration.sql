-- hub:no-transaction
-- Issue 16, decision 0026: portal_requests becomes partitioned by month (created_at), the
-- same way as audit_log and status_events (20261128040000_partition_prepare). Slow part here,
-- each statement committed on its own and safe to run again: the unique (id, created_at) index
-- built concurrently, CHECK (created_at < bound) added NOT VALID then validated. sla_actions,
-- which references a request, gets the request's created_at beside its id (a partitioned
-- table's key must include the partition key); the column is nullable (no rewrite) and filled
-- from the requests (sla_actions row locks only; the next migration fills what came since).
CREATE TABLE IF NOT EXISTS _hub_partition_bounds (
  table_name TEXT PRIMARY KEY,
  bound      TIMESTAMPTZ NOT NULL
);
INSERT INTO _hub_partition_bounds (table_name, bound)
VALUES ('portal_requests',
  (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '2 months') AT TIME ZONE 'UTC')
ON CONFLICT (table_name) DO NOTHING;

DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('portal_requests_id_created_key') AND NOT indisvalid) THEN
    DROP INDEX portal_requests_id_created_key;
  END IF;
END $$;
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "portal_requests_id_created_key" ON "portal_requests" ("id", "created_at");

DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'portal_requests_before_bound') THEN
    EXECUTE format('ALTER TABLE portal_requests ADD CONSTRAINT portal_requests_before_bound CHECK (created_at < %L) NOT VALID',
      (SELECT bound FROM _hub_partition_bounds WHERE table_name = 'portal_requests'));
  END IF;
END $$;
ALTER TABLE "portal_requests" VALIDATE CONSTRAINT "portal_requests_before_bound";

ALTER TABLE "sla_actions" ADD COLUMN IF NOT EXISTS "portal_request_created_at" TIMESTAMPTZ(3);
UPDATE sla_actions s SET portal_request_created_at = r.created_at
FROM portal_requests r
WHERE r.id = s.portal_request_id AND s.portal_request_created_at IS NULL;
