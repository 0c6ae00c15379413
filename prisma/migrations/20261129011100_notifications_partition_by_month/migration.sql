-- Issue 16, decision 0026 (after 20261129011000_notifications_partition_prepare): in one short
-- transaction, notifications is renamed to notifications_before and attached to a new table
-- partitioned by month on status_event_recorded_at as the partition of everything before the
-- bound. Nothing is scanned or built: SET NOT NULL and ATTACH rest on the validated CHECK, the
-- primary key and the once-per-event unique match the indexes built concurrently. The trigger
-- that filled the column for the older hub goes: this version writes it.
DO $$
DECLARE
  b TIMESTAMPTZ := (SELECT bound FROM _hub_partition_bounds WHERE table_name = 'notifications');
BEGIN
  DROP TRIGGER notifications_event_recorded ON notifications;
  DROP FUNCTION _hub_notifications_event_recorded();
  ALTER TABLE notifications ALTER COLUMN status_event_recorded_at SET NOT NULL;

  ALTER INDEX notifications_complaint_idx RENAME TO notifications_before_complaint_idx;
  ALTER INDEX notifications_pending_idx RENAME TO notifications_before_pending_idx;
  ALTER INDEX notifications_unqueued_idx RENAME TO notifications_before_unqueued_idx;
  ALTER INDEX notifications_status_event_key RENAME TO notifications_before_status_event_id_key;
  ALTER INDEX notifications_event_recorded_key RENAME TO notifications_before_status_event_key;
  ALTER TABLE notifications RENAME CONSTRAINT notifications_pkey TO notifications_before_pkey;
  ALTER TABLE notifications RENAME CONSTRAINT notifications_complaint_id_fkey TO notifications_before_complaint_id_fkey;
  ALTER TABLE notifications RENAME TO notifications_before;
  ALTER TABLE notifications_before
    ADD CONSTRAINT notifications_before_id_recorded_key UNIQUE USING INDEX notifications_id_recorded_key;

  CREATE TABLE notifications (
    LIKE notifications_before INCLUDING DEFAULTS,
    CONSTRAINT notifications_pkey PRIMARY KEY (id, status_event_recorded_at),
    CONSTRAINT notifications_complaint_id_fkey FOREIGN KEY (complaint_id)
      REFERENCES complaints (id) ON DELETE CASCADE ON UPDATE CASCADE
  ) PARTITION BY RANGE (status_event_recorded_at);
  CREATE UNIQUE INDEX notifications_status_event_key ON notifications (status_event_id, status_event_recorded_at);
  CREATE INDEX notifications_complaint_idx ON notifications (complaint_id);
  CREATE INDEX notifications_pending_idx ON notifications (created_at) WHERE state = 'PENDING';
  CREATE INDEX notifications_unqueued_idx ON notifications (created_at, queued_at)
    WHERE queued_at IS NULL AND state = 'PENDING';
  EXECUTE format('ALTER TABLE notifications ATTACH PARTITION notifications_before FOR VALUES FROM (MINVALUE) TO (%L)', b);
  FOR i IN 0..2 LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF notifications FOR VALUES FROM (%L) TO (%L)',
      'notifications_p' || to_char(b AT TIME ZONE 'UTC' + make_interval(months => i), 'YYYYMM'),
      (b AT TIME ZONE 'UTC' + make_interval(months => i)) AT TIME ZONE 'UTC',
      (b AT TIME ZONE 'UTC' + make_interval(months => i + 1)) AT TIME ZONE 'UTC');
  END LOOP;
END $$;

DELETE FROM _hub_partition_bounds WHERE table_name = 'notifications';
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM _hub_partition_bounds) THEN DROP TABLE _hub_partition_bounds; END IF;
END $$;
