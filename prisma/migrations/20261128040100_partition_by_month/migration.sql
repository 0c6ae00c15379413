-- Issue 16, decision 0026 (after 20261128040000_partition_prepare): in one short transaction,
-- each table is renamed to <table>_before and attached to a new table partitioned by month as
-- the partition of everything before the bound. Nothing is scanned or built here: the primary
-- key (id, key) matches the unique index built concurrently, every other index and the foreign
-- key match the old table's, and the validated CHECK proves the partition bound. The new
-- months' partitions (three from the bound) are empty; the partition-maintenance job keeps
-- three months ahead from then on. No default partition: a row for a month without one fails
-- (decision 0026).
DO $$
DECLARE
  b TIMESTAMPTZ := (SELECT bound FROM _hub_partition_bounds WHERE table_name = 'audit_log');
BEGIN
  ALTER INDEX audit_log_at_idx RENAME TO audit_log_before_at_idx;
  ALTER INDEX audit_log_actor_idx RENAME TO audit_log_before_actor_idx;
  ALTER INDEX audit_log_target_idx RENAME TO audit_log_before_target_idx;
  ALTER TABLE audit_log RENAME CONSTRAINT audit_log_pkey TO audit_log_before_pkey;
  ALTER TABLE audit_log RENAME TO audit_log_before;
  ALTER TABLE audit_log_before
    ADD CONSTRAINT audit_log_before_id_at_key UNIQUE USING INDEX audit_log_id_at_key;

  CREATE TABLE audit_log (
    LIKE audit_log_before INCLUDING DEFAULTS,
    CONSTRAINT audit_log_pkey PRIMARY KEY (id, at)
  ) PARTITION BY RANGE (at);
  CREATE INDEX audit_log_at_idx ON audit_log (at);
  CREATE INDEX audit_log_actor_idx ON audit_log (api_key_id, at);
  CREATE INDEX audit_log_target_idx ON audit_log (target);
  EXECUTE format('ALTER TABLE audit_log ATTACH PARTITION audit_log_before FOR VALUES FROM (MINVALUE) TO (%L)', b);
  FOR i IN 0..2 LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF audit_log FOR VALUES FROM (%L) TO (%L)',
      'audit_log_p' || to_char(b AT TIME ZONE 'UTC' + make_interval(months => i), 'YYYYMM'),
      (b AT TIME ZONE 'UTC' + make_interval(months => i)) AT TIME ZONE 'UTC',
      (b AT TIME ZONE 'UTC' + make_interval(months => i + 1)) AT TIME ZONE 'UTC');
  END LOOP;
END $$;

DO $$
DECLARE
  b TIMESTAMPTZ := (SELECT bound FROM _hub_partition_bounds WHERE table_name = 'status_events');
BEGIN
  ALTER INDEX status_events_complaint_occurred_idx RENAME TO status_events_before_complaint_occurred_idx;
  ALTER INDEX status_events_recorded_idx RENAME TO status_events_before_recorded_idx;
  ALTER TABLE status_events RENAME CONSTRAINT status_events_pkey TO status_events_before_pkey;
  ALTER TABLE status_events RENAME TO status_events_before;
  ALTER TABLE status_events_before
    ADD CONSTRAINT status_events_before_id_recorded_key UNIQUE USING INDEX status_events_id_recorded_key;

  CREATE TABLE status_events (
    LIKE status_events_before INCLUDING DEFAULTS,
    CONSTRAINT status_events_pkey PRIMARY KEY (id, recorded_at),
    CONSTRAINT status_events_complaint_id_fkey FOREIGN KEY (complaint_id)
      REFERENCES complaints (id) ON DELETE CASCADE ON UPDATE CASCADE
  ) PARTITION BY RANGE (recorded_at);
  CREATE INDEX status_events_complaint_occurred_idx ON status_events (complaint_id, occurred_at);
  CREATE INDEX status_events_recorded_idx ON status_events (recorded_at);
  EXECUTE format('ALTER TABLE status_events ATTACH PARTITION status_events_before FOR VALUES FROM (MINVALUE) TO (%L)', b);
  FOR i IN 0..2 LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF status_events FOR VALUES FROM (%L) TO (%L)',
      'status_events_p' || to_char(b AT TIME ZONE 'UTC' + make_interval(months => i), 'YYYYMM'),
      (b AT TIME ZONE 'UTC' + make_interval(months => i)) AT TIME ZONE 'UTC',
      (b AT TIME ZONE 'UTC' + make_interval(months => i + 1)) AT TIME ZONE 'UTC');
  END LOOP;
END $$;

DROP TABLE _hub_partition_bounds;
