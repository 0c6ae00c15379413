-- Issue 16, decision 0031: inbound_events becomes partitioned by month (20261130010000,
-- 20261130030000), so its once-per-event guard UNIQUE (portal_code, event_id) moves to a small
-- unpartitioned table of keys, inbound_event_keys, which every writer of this version fills in
-- the statement that stores the event. A trigger fills it for what an older hub inserts, until
-- the contract migration drops it; it exists before the keys of the stored events are copied
-- (20261130010000), so no event falls between the two. One short transaction (its lock waits
-- bounded by the migrator's lock_timeout).
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
