-- hub:no-transaction
-- Issue 16, decision 0026: notifications becomes partitioned by month on the recorded_at of the
-- status event it is about (status_event_recorded_at), so that all notifications of one event
-- share a month and the unique (status_event_id, status_event_recorded_at) of each month is the
-- once-per-event guard across all of them. The column is new: it is added nullable (no
-- rewrite), a trigger fills it for what the running (older) hub inserts, the existing rows are
-- filled in batches, each committed, and CHECK (not null and before the bound) is added NOT
-- VALID then validated, so that the next migration's SET NOT NULL and ATTACH scan nothing.
-- The unique indexes are built concurrently. Every statement can run again.
CREATE TABLE IF NOT EXISTS _hub_partition_bounds (
  table_name TEXT PRIMARY KEY,
  bound      TIMESTAMPTZ NOT NULL
);
INSERT INTO _hub_partition_bounds (table_name, bound)
VALUES ('notifications',
  (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '2 months') AT TIME ZONE 'UTC')
ON CONFLICT (table_name) DO NOTHING;

ALTER TABLE "notifications" ADD COLUMN IF NOT EXISTS "status_event_recorded_at" TIMESTAMPTZ(3);

-- An event written in the same statement is not visible to the lookup: it was recorded now().
CREATE OR REPLACE FUNCTION _hub_notifications_event_recorded() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status_event_recorded_at IS NULL THEN
    NEW.status_event_recorded_at := coalesce(
      (SELECT s.recorded_at FROM status_events s WHERE s.id = NEW.status_event_id LIMIT 1), now());
  END IF;
  RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER notifications_event_recorded BEFORE INSERT ON notifications
  FOR EACH ROW EXECUTE FUNCTION _hub_notifications_event_recorded();

DO $$
DECLARE
  last_id UUID := '00000000-0000-0000-0000-000000000000';
  batch UUID[];
BEGIN
  LOOP
    SELECT array_agg(id ORDER BY id) INTO batch
    FROM (SELECT id FROM notifications WHERE id > last_id ORDER BY id LIMIT 5000) b;
    EXIT WHEN batch IS NULL;
    UPDATE notifications n SET status_event_recorded_at = coalesce(
      (SELECT s.recorded_at FROM status_events s WHERE s.id = n.status_event_id LIMIT 1), n.created_at)
    WHERE n.id = ANY(batch) AND n.status_event_recorded_at IS NULL;
    last_id := batch[array_length(batch, 1)];
    COMMIT;
  END LOOP;
END $$;

DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('notifications_id_recorded_key') AND NOT indisvalid) THEN
    DROP INDEX notifications_id_recorded_key;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('notifications_event_recorded_key') AND NOT indisvalid) THEN
    DROP INDEX notifications_event_recorded_key;
  END IF;
END $$;
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "notifications_id_recorded_key" ON "notifications" ("id", "status_event_recorded_at");
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "notifications_event_recorded_key" ON "notifications" ("status_event_id", "status_event_recorded_at");

DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'notifications_before_bound') THEN
    EXECUTE format('ALTER TABLE notifications ADD CONSTRAINT notifications_before_bound CHECK (status_event_recorded_at IS NOT NULL AND status_event_recorded_at < %L) NOT VALID',
      (SELECT bound FROM _hub_partition_bounds WHERE table_name = 'notifications'));
  END IF;
END $$;
ALTER TABLE "notifications" VALIDATE CONSTRAINT "notifications_before_bound";
