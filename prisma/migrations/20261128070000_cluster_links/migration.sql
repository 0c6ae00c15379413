-- Issue 15: cluster linking (other citizens' grievances about the same problem at the same place)
-- leaves the intake transaction. Intake writes one row here in its statement; the relay
-- (platform/queue/row-relay) queues it and a worker job links the grievance to its cluster and
-- deletes the row in one transaction: a row is a link still to make, none left once made.
CREATE TABLE "cluster_links" (
  "id" UUID NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL,
  "queued_at" TIMESTAMPTZ(3),
  CONSTRAINT "cluster_links_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "cluster_links_id_fkey" FOREIGN KEY ("id") REFERENCES "complaints"("id")
    ON DELETE CASCADE ON UPDATE CASCADE
);
-- The sweep's keyset over the pending rows (every row is pending).
CREATE INDEX "cluster_links_pending_idx" ON "cluster_links" ("created_at", "id");
-- Partial, the relay's look (queued_at is in the key only so that schema.prisma can name it).
CREATE INDEX "cluster_links_unqueued_idx" ON "cluster_links" ("created_at", "queued_at")
  WHERE "queued_at" IS NULL;
