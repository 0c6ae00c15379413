-- Fencing: every attempt that claims a dispatch to submit it bumps `claim`; the claim, the check
-- right before the submit and every statement that records the answer are conditional on it, so
-- a worker paused past its queue lock (GC pause, VM freeze) can neither submit again nor
-- overwrite what the attempt that took over recorded. Never reset (staff retries keep it).
ALTER TABLE "dispatches" ADD COLUMN "claim" INTEGER NOT NULL DEFAULT 0;

-- Status events a portal reported for a reference the hub has not recorded yet (it registered
-- the grievance, the answer is still on its way or was lost): kept here, moved to inbound_events
-- when the delivery records the reference, marked expired (and counted) if it never does.
CREATE TABLE "waiting_status_events" (
    "id" UUID NOT NULL,
    "portal_code" TEXT NOT NULL,
    "event_id" TEXT NOT NULL,
    "external_ref" TEXT NOT NULL,
    "native_status" TEXT NOT NULL,
    "status" "ComplaintStatus" NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "remarks" TEXT,
    "transferred_to" TEXT,
    "via" TEXT NOT NULL,
    "raw" JSONB NOT NULL,
    "correlation_id" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expired_at" TIMESTAMPTZ(3),

    CONSTRAINT "waiting_status_events_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "waiting_status_events_portal_event_key" ON "waiting_status_events"("portal_code", "event_id");
CREATE INDEX "waiting_status_events_ref_idx" ON "waiting_status_events"("portal_code", "external_ref");
CREATE INDEX "waiting_status_events_received_idx" ON "waiting_status_events"("received_at");
