-- hub:no-transaction
-- Issue 16, decision 0031: inbound_events becomes partitioned by month on received_at (the hub's
-- clock at insert). The once-per-event guard UNIQUE (portal_code, event_id) cannot span months on
-- a partitioned table, so it moves to a small unpartitioned table of keys, inbound_event_keys,
-- which every writer fills in the same statement as the event (ON CONFLICT DO NOTHING decides
-- which write stores the event). Here: the keys table is made, a trigger fills it for what the
-- running (older) hub inserts, the existing events' keys are copied in batches (each committed),
-- the (id, received_at) unique index is built concurrently and CHECK (received_at < bound) is
-- added NOT VALID then validated, so that the next migration's ATTACH scans nothing. Every
-- statement can run again.
CREATE TABLE IF NOT EXISTS _hub_partition_bounds (
  table_name TEXT PRIMARY KEY,
  bound      TIMESTAMPTZ NOT NULL
);
INSERT INTO _hub_partition_bounds (table_name, bound)
VALUES ('inbound_events',
  (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '2 months') AT TIME ZONE 'UTC')
ON CONFLICT (table_name) DO NOTHING;

CREATE TABLE IF NOT EXISTS "inbound_event_keys" (
  "portal_code" TEXT NOT NULL,
  "event_id"    TEXT NOT NULL,
  -- The stored event's received_at: the key goes when the event's month does.
  "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "inbound_event_keys_pkey" PRIMARY KEY ("portal_code", "event_id")
);
CREATE INDEX IF NOT EXISTS "inbound_event_keys_received_idx" ON "inbound_event_keys" ("received_at");

CREATE OR REPLACE FUNCTION _hub_inbound_event_key() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO inbound_event_keys (portal_code, event_id, received_at)
  VALUES (NEW.portal_code, NEW.event_id, NEW.received_at)
  ON CONFLICT (portal_code, event_id) DO NOTHING;
  RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER inbound_events_key AFTER INSERT ON inbound_events
  FOR EACH ROW EXECUTE FUNCTION _hub_inbound_event_key();

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
