-- Issue 16, decision 0026 (after 20261129010000_portal_requests_partition_prepare): in one
-- short transaction, portal_requests is renamed to portal_requests_before and attached to a
-- new table partitioned by month as the partition of everything before the bound; nothing is
-- scanned or built (the primary key matches the index built concurrently, the validated CHECK
-- proves the bound). sla_actions' reference moves to (id, created_at): the few actions written
-- since the prepare migration get their request's created_at, and the new foreign key is added
-- NOT VALID (no scan; 20261129010200 validates it without blocking writes). MATCH FULL: an
-- action links a request with both columns or with neither.
DO $$
DECLARE
  b TIMESTAMPTZ := (SELECT bound FROM _hub_partition_bounds WHERE table_name = 'portal_requests');
BEGIN
  UPDATE sla_actions s SET portal_request_created_at = r.created_at
  FROM portal_requests r
  WHERE r.id = s.portal_request_id AND s.portal_request_created_at IS NULL;
  ALTER TABLE sla_actions DROP CONSTRAINT sla_actions_portal_request_id_fkey;

  ALTER INDEX portal_requests_complaint_kind_idx RENAME TO portal_requests_before_complaint_kind_idx;
  ALTER INDEX portal_requests_pending_idx RENAME TO portal_requests_before_pending_idx;
  ALTER INDEX portal_requests_unqueued_idx RENAME TO portal_requests_before_unqueued_idx;
  ALTER TABLE portal_requests RENAME CONSTRAINT portal_requests_pkey TO portal_requests_before_pkey;
  ALTER TABLE portal_requests RENAME CONSTRAINT portal_requests_complaint_id_fkey TO portal_requests_before_complaint_id_fkey;
  ALTER TABLE portal_requests RENAME TO portal_requests_before;
  ALTER TABLE portal_requests_before
    ADD CONSTRAINT portal_requests_before_id_created_key UNIQUE USING INDEX portal_requests_id_created_key;

  CREATE TABLE portal_requests (
    LIKE portal_requests_before INCLUDING DEFAULTS,
    CONSTRAINT portal_requests_pkey PRIMARY KEY (id, created_at),
    CONSTRAINT portal_requests_complaint_id_fkey FOREIGN KEY (complaint_id)
      REFERENCES complaints (id) ON DELETE CASCADE ON UPDATE CASCADE
  ) PARTITION BY RANGE (created_at);
  CREATE INDEX portal_requests_complaint_kind_idx ON portal_requests (complaint_id, kind, created_at);
  CREATE INDEX portal_requests_pending_idx ON portal_requests (created_at) WHERE state = 'PENDING';
  CREATE INDEX portal_requests_unqueued_idx ON portal_requests (created_at, queued_at)
    WHERE queued_at IS NULL AND state = 'PENDING';
  EXECUTE format('ALTER TABLE portal_requests ATTACH PARTITION portal_requests_before FOR VALUES FROM (MINVALUE) TO (%L)', b);
  FOR i IN 0..2 LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF portal_requests FOR VALUES FROM (%L) TO (%L)',
      'portal_requests_p' || to_char(b AT TIME ZONE 'UTC' + make_interval(months => i), 'YYYYMM'),
      (b AT TIME ZONE 'UTC' + make_interval(months => i)) AT TIME ZONE 'UTC',
      (b AT TIME ZONE 'UTC' + make_interval(months => i + 1)) AT TIME ZONE 'UTC');
  END LOOP;

  ALTER TABLE sla_actions ADD CONSTRAINT sla_actions_portal_request_fkey
    FOREIGN KEY (portal_request_id, portal_request_created_at)
    REFERENCES portal_requests (id, created_at) MATCH FULL
    ON DELETE SET NULL ON UPDATE CASCADE NOT VALID;
END $$;

DELETE FROM _hub_partition_bounds WHERE table_name = 'portal_requests';
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM _hub_partition_bounds) THEN DROP TABLE _hub_partition_bounds; END IF;
END $$;
