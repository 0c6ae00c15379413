-- One relay mechanism (docs/decisions/0015-one-relay.md): a dispatch waits for its queue the way
-- inbound events, notifications and portal requests do, as its own row with `queued_at` NULL,
-- instead of through a separate outbox row. The correlation id the outbox payload carried moves
-- onto the dispatch.
ALTER TABLE "dispatches" ADD COLUMN "queued_at" TIMESTAMPTZ(3), ADD COLUMN "correlation_id" TEXT;

-- Every existing dispatch counts as queued, except those whose outbox row the relay had not yet
-- published: those stay unqueued, and the relay publishes them as before.
UPDATE "dispatches" SET "queued_at" = "updated_at";
UPDATE "dispatches" d SET "queued_at" = NULL, "correlation_id" = o."payload"->>'correlationId'
FROM "outbox" o
WHERE o."published_at" IS NULL AND (o."payload"->>'dispatchId')::uuid = d."id";
UPDATE "dispatches" d SET "correlation_id" = o."payload"->>'correlationId'
FROM "outbox" o
WHERE d."correlation_id" IS NULL AND (o."payload"->>'dispatchId')::uuid = d."id";

DROP TABLE "outbox";

-- The relay's look, as for the other relayed tables: only rows still to queue.
-- (queued_at is in the key only so that schema.prisma can name the same columns.)
CREATE INDEX "dispatches_unqueued_idx" ON "dispatches" ("created_at", "queued_at")
  WHERE "queued_at" IS NULL AND "status" = 'PENDING';

-- The sweep's pages walk pending dispatches by (created_at, id), like the other relayed tables.
DROP INDEX "dispatches_pending_idx";
CREATE INDEX "dispatches_pending_idx" ON "dispatches" ("created_at", "id") WHERE "status" = 'PENDING';
