-- Initial schema: complaints, their dispatches to portals, the transactional outbox,
-- the status timeline and intake idempotency keys.

CREATE TYPE "ComplaintStatus" AS ENUM (
  'RECEIVED', 'ROUTED', 'DELIVERED', 'IN_PROGRESS', 'RESOLVED', 'REJECTED', 'CLOSED',
  'TRANSFERRED', 'APPEALED', 'DISPATCH_FAILED'
);
CREATE TYPE "DispatchStatus" AS ENUM ('PENDING', 'DELIVERED', 'DISPATCH_FAILED');

CREATE TABLE "complaints" (
  "id"                  UUID NOT NULL,
  "tracking_id"         TEXT NOT NULL,
  "access_token_hash"   TEXT NOT NULL,
  "status"              "ComplaintStatus" NOT NULL DEFAULT 'RECEIVED',
  "subject"             TEXT NOT NULL,
  "description"         TEXT NOT NULL,
  "category"            TEXT NOT NULL,
  "ministry_code"       TEXT,
  "state_code"          TEXT NOT NULL,
  "district_code"       TEXT,
  "pincode"             TEXT NOT NULL,
  "language"            TEXT NOT NULL,
  "complainant_cipher"  BYTEA,
  "mobile_lookup"       TEXT,
  "primary_portal_code" TEXT NOT NULL,
  "routing_rule"        TEXT NOT NULL,
  "sla_due_at"          TIMESTAMPTZ(3),
  "delivered_at"        TIMESTAMPTZ(3),
  "closed_at"           TIMESTAMPTZ(3),
  "created_at"          TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at"          TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "complaints_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "complaints_tracking_id_key" ON "complaints" ("tracking_id");
CREATE INDEX "complaints_status_portal_idx" ON "complaints" ("status", "primary_portal_code");
CREATE INDEX "complaints_state_district_idx" ON "complaints" ("state_code", "district_code");
CREATE INDEX "complaints_mobile_lookup_idx" ON "complaints" ("mobile_lookup");
CREATE INDEX "complaints_created_at_idx" ON "complaints" ("created_at");

CREATE TABLE "dispatches" (
  "id"              UUID NOT NULL,
  "complaint_id"    UUID NOT NULL,
  "portal_code"     TEXT NOT NULL,
  "primary"         BOOLEAN NOT NULL,
  "status"          "DispatchStatus" NOT NULL DEFAULT 'PENDING',
  "external_ref"    TEXT,
  "attempts"        INTEGER NOT NULL DEFAULT 0,
  "in_flight_since" TIMESTAMPTZ(3),
  "last_error"      TEXT,
  "delivered_at"    TIMESTAMPTZ(3),
  "failed_at"       TIMESTAMPTZ(3),
  "last_synced_at"  TIMESTAMPTZ(3),
  "created_at"      TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "updated_at"      TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "dispatches_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "dispatches_complaint_id_fkey" FOREIGN KEY ("complaint_id")
    REFERENCES "complaints" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "dispatches_portal_external_ref_key" ON "dispatches" ("portal_code", "external_ref");
CREATE INDEX "dispatches_complaint_id_idx" ON "dispatches" ("complaint_id");
CREATE INDEX "dispatches_portal_status_idx" ON "dispatches" ("portal_code", "status");

CREATE TABLE "outbox" (
  "id"           UUID NOT NULL,
  "topic"        TEXT NOT NULL,
  "payload"      JSONB NOT NULL,
  "created_at"   TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "published_at" TIMESTAMPTZ(3),
  CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);
-- The relay only ever reads unpublished rows, oldest first: keep the index that small.
CREATE INDEX "outbox_unpublished_idx" ON "outbox" ("created_at") WHERE "published_at" IS NULL;

CREATE TABLE "status_events" (
  "id"           UUID NOT NULL,
  "complaint_id" UUID NOT NULL,
  "status"       "ComplaintStatus" NOT NULL,
  "source"       TEXT NOT NULL,
  "portal_code"  TEXT,
  "remarks"      TEXT,
  "occurred_at"  TIMESTAMPTZ(3) NOT NULL,
  "recorded_at"  TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "status_events_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "status_events_complaint_id_fkey" FOREIGN KEY ("complaint_id")
    REFERENCES "complaints" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "status_events_complaint_occurred_idx" ON "status_events" ("complaint_id", "occurred_at");

CREATE TABLE "idempotency_keys" (
  "key"             TEXT NOT NULL,
  "request_hash"    TEXT NOT NULL,
  "response_status" INTEGER NOT NULL,
  "response_cipher" BYTEA NOT NULL,
  "complaint_id"    UUID NOT NULL,
  "created_at"      TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("key")
);
CREATE INDEX "idempotency_keys_created_at_idx" ON "idempotency_keys" ("created_at");
