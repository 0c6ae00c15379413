-- Audit entries carry the hub's own request id; the client's X-Request-Id is kept beside it.
ALTER TABLE "audit_log" ADD COLUMN "client_request_id" TEXT;
-- The retention purge clears the details of entries about an erased grievance.
CREATE INDEX "audit_log_target_idx" ON "audit_log" ("target");

-- Idempotency keys belong to one caller (a keyed hash of its address) and expire after 24 h.
-- Rows from before have no caller (''), which no request hashes to: they are never replayed
-- again and the retention job deletes them once 24 h old.
ALTER TABLE "idempotency_keys" ADD COLUMN "caller" TEXT NOT NULL DEFAULT '';
ALTER TABLE "idempotency_keys" ALTER COLUMN "caller" DROP DEFAULT;
ALTER TABLE "idempotency_keys" DROP CONSTRAINT "idempotency_keys_pkey";
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("caller", "key");
