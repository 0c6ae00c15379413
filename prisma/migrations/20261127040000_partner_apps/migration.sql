-- Partner apps: a civic app's server that files for its citizens (Open311 api_key, or X-Partner-Key
-- on the native API). Only the key's SHA-256 is stored; each app has its own rate limit, and the
-- consent it declared (shown to its citizens) is kept as it was registered.
CREATE TABLE "partner_apps" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "rate_limit_per_minute" INTEGER NOT NULL,
    "consent_declaration" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    CONSTRAINT "partner_apps_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "partner_apps_rate_limit_check" CHECK ("rate_limit_per_minute" > 0)
);
CREATE UNIQUE INDEX "partner_apps_key_hash_key" ON "partner_apps"("key_hash");

-- How a grievance arrived: 'api' (the native intake API) or 'open311'; and through which partner
-- app, when one filed it (its declared consent stands for the citizen's).
ALTER TABLE "complaints" ADD COLUMN "channel" TEXT NOT NULL DEFAULT 'api';
ALTER TABLE "complaints" ADD COLUMN "partner_app_id" UUID;
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_partner_app_id_fkey"
    FOREIGN KEY ("partner_app_id") REFERENCES "partner_apps"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_channel_check" CHECK ("channel" IN ('api', 'open311'));

-- Open311 servicerequestupdates reads the status changes recorded in a time window.
CREATE INDEX "status_events_recorded_idx" ON "status_events" ("recorded_at");
