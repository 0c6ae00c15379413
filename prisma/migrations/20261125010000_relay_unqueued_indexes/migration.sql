-- The relays look for rows not yet handed to a queue every 100 ms. The pending indexes also hold
-- every row already queued and waiting (a backlog while SMTP or a portal is down), which the
-- relay then had to read past on each look: 25 ms a look at 200,000 queued notifications.
-- These hold only the rows still to queue, so a look is an index probe whatever the backlog.
-- (queued_at is in the key only so that schema.prisma can name the same columns.)
CREATE INDEX "inbound_events_unqueued_idx" ON "inbound_events" ("received_at", "queued_at")
  WHERE "queued_at" IS NULL AND "processed_at" IS NULL;
CREATE INDEX "notifications_unqueued_idx" ON "notifications" ("created_at", "queued_at")
  WHERE "queued_at" IS NULL AND "state" = 'PENDING';
CREATE INDEX "portal_requests_unqueued_idx" ON "portal_requests" ("created_at", "queued_at")
  WHERE "queued_at" IS NULL AND "state" = 'PENDING';
