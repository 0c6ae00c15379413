-- An SLA reminder is a portal request like a citizen's: written in the same transaction that
-- claims the level, then forwarded with retries by the portal-requests queue. The action keeps
-- a link to it; `reminder` now says what the hub decided at the claim (queued | unsupported |
-- none: …), the request row says how sending went.
ALTER TABLE "sla_actions" ADD COLUMN "portal_request_id" UUID;
ALTER TABLE "sla_actions" ADD CONSTRAINT "sla_actions_portal_request_id_fkey"
  FOREIGN KEY ("portal_request_id") REFERENCES "portal_requests" ("id")
  ON DELETE SET NULL ON UPDATE CASCADE;
CREATE UNIQUE INDEX "sla_actions_portal_request_id_key" ON "sla_actions" ("portal_request_id");
