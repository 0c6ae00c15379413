-- The outbox relay's sweep pages through pending dispatches untouched for a minute, in
-- (updated_at, id) order, every 30 s. Without this it read the whole dispatches table each time.
CREATE INDEX "dispatches_pending_idx" ON "dispatches" ("updated_at", "id") WHERE "status" = 'PENDING';
