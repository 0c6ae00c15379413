-- Audit entries carry the hub's own request id; the client's X-Request-Id is kept beside it.
ALTER TABLE "audit_log" ADD COLUMN "client_request_id" TEXT;
-- The retention purge clears the details of entries about an erased grievance.
CREATE INDEX "audit_log_target_idx" ON "audit_log" ("target");
