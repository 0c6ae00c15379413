-- Status comes back: inbound portal events (pushed or polled), poll cursors, citizen
-- notifications and the requests the hub forwards to portals (reminders, appeals).
-- PostgreSQL is the truth for all of them; Redis only moves the work (queued_at marks a row
-- handed to BullMQ, and a sweep re-queues rows whose job vanished).

-- When the current status took effect (the event's occurredAt): later events older than this
-- are kept in the timeline but never move the status. NULL: only intake and delivery so far.
ALTER TABLE "complaints"
  ADD COLUMN "status_at"        TIMESTAMPTZ(3),
  ADD COLUMN "feedback_comment" TEXT;

CREATE TABLE "inbound_events" (
  "id"             UUID NOT NULL,
  "portal_code"    TEXT NOT NULL,
  "event_id"       TEXT NOT NULL,
  "external_ref"   TEXT NOT NULL,
  "dispatch_id"    UUID NOT NULL,
  "complaint_id"   UUID NOT NULL,
  "native_status"  TEXT NOT NULL,
  "status"         "ComplaintStatus" NOT NULL,
  "occurred_at"    TIMESTAMPTZ(3) NOT NULL,
  "remarks"        TEXT,
  "transferred_to" TEXT,
  -- 'push' or 'poll'; the first to store an event wins, the other is a duplicate.
  "via"            TEXT NOT NULL,
  "raw"            JSONB NOT NULL,
  "received_at"    TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "queued_at"      TIMESTAMPTZ(3),
  "processed_at"   TIMESTAMPTZ(3),
  -- applied | late | same-status | not-allowed | other-portal | refused:<code>
  "outcome"        TEXT,
  "correlation_id" TEXT NOT NULL,
  CONSTRAINT "inbound_events_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "inbound_events_complaint_id_fkey" FOREIGN KEY ("complaint_id")
    REFERENCES "complaints" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "inbound_events_portal_event_key" ON "inbound_events" ("portal_code", "event_id");
CREATE INDEX "inbound_events_complaint_idx" ON "inbound_events" ("complaint_id", "occurred_at");
CREATE INDEX "inbound_events_unprocessed_idx" ON "inbound_events" ("received_at") WHERE "processed_at" IS NULL;

CREATE TABLE "poll_cursors" (
  "portal_code"    TEXT NOT NULL,
  "cursor"         TEXT,
  "last_polled_at" TIMESTAMPTZ(3),
  "last_error"     TEXT,
  "updated_at"     TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "poll_cursors_pkey" PRIMARY KEY ("portal_code")
);

CREATE TABLE "notifications" (
  "id"              UUID NOT NULL,
  "complaint_id"    UUID NOT NULL,
  -- The timeline entry that triggered it: one notification per change, whatever the retries.
  "status_event_id" UUID NOT NULL,
  "kind"            TEXT NOT NULL,
  -- PENDING | SENT | FAILED
  "state"           TEXT NOT NULL DEFAULT 'PENDING',
  -- Per channel: { "email": "sent" | "skipped:<why>", "sms": "sent" | … }. Never an address.
  "channels"        JSONB,
  "attempts"        INTEGER NOT NULL DEFAULT 0,
  "last_error"      TEXT,
  "created_at"      TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "queued_at"       TIMESTAMPTZ(3),
  "sent_at"         TIMESTAMPTZ(3),
  CONSTRAINT "notifications_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "notifications_complaint_id_fkey" FOREIGN KEY ("complaint_id")
    REFERENCES "complaints" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "notifications_status_event_key" ON "notifications" ("status_event_id");
CREATE INDEX "notifications_complaint_idx" ON "notifications" ("complaint_id");
CREATE INDEX "notifications_pending_idx" ON "notifications" ("created_at") WHERE "state" = 'PENDING';

CREATE TABLE "portal_requests" (
  "id"           UUID NOT NULL,
  "complaint_id" UUID NOT NULL,
  "dispatch_id"  UUID NOT NULL,
  "portal_code"  TEXT NOT NULL,
  -- reminder | appeal
  "kind"         TEXT NOT NULL,
  "reason"       TEXT,
  -- PENDING | SENT | FAILED
  "state"        TEXT NOT NULL DEFAULT 'PENDING',
  "portal_ref"   TEXT,
  "attempts"     INTEGER NOT NULL DEFAULT 0,
  "last_error"   TEXT,
  "created_at"   TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "queued_at"    TIMESTAMPTZ(3),
  "sent_at"      TIMESTAMPTZ(3),
  "correlation_id" TEXT NOT NULL,
  CONSTRAINT "portal_requests_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "portal_requests_complaint_id_fkey" FOREIGN KEY ("complaint_id")
    REFERENCES "complaints" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "portal_requests_complaint_kind_idx" ON "portal_requests" ("complaint_id", "kind", "created_at");
CREATE INDEX "portal_requests_pending_idx" ON "portal_requests" ("created_at") WHERE "state" = 'PENDING';

-- Auto-close looks for resolved/rejected grievances without feedback, oldest first.
CREATE INDEX "complaints_status_at_idx" ON "complaints" ("status", "status_at");
