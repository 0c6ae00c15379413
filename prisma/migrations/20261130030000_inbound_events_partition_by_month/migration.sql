-- hub:contract
-- Issue 16, decision 0031 (after 20261130010000_inbound_events_partition_prepare; a contract
-- migration: an older hub's statements name the UNIQUE (portal_code, event_id) dropped here, so
-- in production it waits for `npm run migrate -- --contract`, run once every process runs this
-- version, which already stores events through inbound_event_keys). In one short
-- transaction, inbound_events is renamed to inbound_events_before and attached to a new table
-- partitioned by month on received_at as the partition of everything before the bound. Nothing
-- is scanned or built: ATTACH rests on the validated CHECK, the primary key (id, received_at) on
-- the index built concurrently, the other indexes and the foreign key match the old table's. The
-- trigger that filled inbound_event_keys for the older hub goes: this version writes the key in
-- the statement that stores the event, so the old table's UNIQUE (portal_code, event_id) goes.
DO $$
DECLARE
  b TIMESTAMPTZ := (SELECT bound FROM _hub_partition_bounds WHERE table_name = 'inbound_events');
BEGIN
  DROP TRIGGER inbound_events_key ON inbound_events;
  DROP FUNCTION _hub_inbound_event_key();

  ALTER INDEX inbound_events_complaint_idx RENAME TO inbound_events_before_complaint_idx;
  ALTER INDEX inbound_events_unprocessed_idx RENAME TO inbound_events_before_unprocessed_idx;
  ALTER INDEX inbound_events_unqueued_idx RENAME TO inbound_events_before_unqueued_idx;
  DROP INDEX inbound_events_portal_event_key;
  ALTER TABLE inbound_events RENAME CONSTRAINT inbound_events_pkey TO inbound_events_before_pkey;
  ALTER TABLE inbound_events RENAME CONSTRAINT inbound_events_complaint_id_fkey TO inbound_events_before_complaint_id_fkey;
  ALTER TABLE inbound_events RENAME TO inbound_events_before;
  ALTER TABLE inbound_events_before
    ADD CONSTRAINT inbound_events_before_id_received_key UNIQUE USING INDEX inbound_events_id_received_key;

  CREATE TABLE inbound_events (
    LIKE inbound_events_before INCLUDING DEFAULTS,
    CONSTRAINT inbound_events_pkey PRIMARY KEY (id, received_at),
    CONSTRAINT inbound_events_complaint_id_fkey FOREIGN KEY (complaint_id)
      REFERENCES complaints (id) ON DELETE CASCADE ON UPDATE CASCADE
  ) PARTITION BY RANGE (received_at);
  CREATE INDEX inbound_events_complaint_idx ON inbound_events (complaint_id, occurred_at);
  CREATE INDEX inbound_events_unprocessed_idx ON inbound_events (received_at) WHERE processed_at IS NULL;
  CREATE INDEX inbound_events_unqueued_idx ON inbound_events (received_at, queued_at)
    WHERE queued_at IS NULL AND processed_at IS NULL;
  EXECUTE format('ALTER TABLE inbound_events ATTACH PARTITION inbound_events_before FOR VALUES FROM (MINVALUE) TO (%L)', b);
  FOR i IN 0..2 LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF inbound_events FOR VALUES FROM (%L) TO (%L)',
      'inbound_events_p' || to_char(b AT TIME ZONE 'UTC' + make_interval(months => i), 'YYYYMM'),
      (b AT TIME ZONE 'UTC' + make_interval(months => i)) AT TIME ZONE 'UTC',
      (b AT TIME ZONE 'UTC' + make_interval(months => i + 1)) AT TIME ZONE 'UTC');
  END LOOP;
END $$;

DELETE FROM _hub_partition_bounds WHERE table_name = 'inbound_events';
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM _hub_partition_bounds) THEN DROP TABLE _hub_partition_bounds; END IF;
END $$;
