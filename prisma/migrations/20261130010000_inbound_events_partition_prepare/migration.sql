-- hub:no-transaction
-- Issue 16, decision 0031: inbound_events becomes partitioned by month on received_at (the hub's
-- clock at insert); its once-per-event guard is inbound_event_keys (20261130009000, with the
-- trigger that fills it for an older hub). Here: the existing events' keys are copied in
-- batches (each committed), the (id, received_at) unique index is built concurrently and
-- CHECK (received_at < bound) is added NOT VALID then validated, so that the swap's ATTACH
-- scans nothing. Every statement can run again.
CREATE TABLE IF NOT EXISTS _hub_partition_bounds (
  table_name TEXT PRIMARY KEY,
  bound      TIMESTAMPTZ NOT NULL
);
INSERT INTO _hub_partition_bounds (table_name, bound)
VALUES ('inbound_events',
  (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '2 months') AT TIME ZONE 'UTC')
ON CONFLICT (table_name) DO NOTHING;

DO $$
DECLARE
  last_id UUID := '00000000-0000-0000-0000-000000000000';
  batch UUID[];
BEGIN
  LOOP
    SELECT array_agg(id ORDER BY id) INTO batch
    FROM (SELECT id FROM inbound_events WHERE id > last_id ORDER BY id LIMIT 5000) b;
    EXIT WHEN batch IS NULL;
    INSERT INTO inbound_event_keys (portal_code, event_id, received_at)
    SELECT portal_code, event_id, received_at FROM inbound_events WHERE id = ANY(batch)
    ON CONFLICT (portal_code, event_id) DO NOTHING;
    last_id := batch[array_length(batch, 1)];
    COMMIT;
  END LOOP;
END $$;

DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('inbound_events_id_received_key') AND NOT indisvalid) THEN
    DROP INDEX inbound_events_id_received_key;
  END IF;
END $$;
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "inbound_events_id_received_key" ON "inbound_events" ("id", "received_at");

DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'inbound_events_before_bound') THEN
    EXECUTE format('ALTER TABLE inbound_events ADD CONSTRAINT inbound_events_before_bound CHECK (received_at < %L) NOT VALID',
      (SELECT bound FROM _hub_partition_bounds WHERE table_name = 'inbound_events'));
  END IF;
END $$;
ALTER TABLE "inbound_events" VALIDATE CONSTRAINT "inbound_events_before_bound";
