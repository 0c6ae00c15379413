-- The status the current one was reached from: decides two portal events at the same instant
-- whatever order they arrive in (src/status-sync/lifecycle.ts, decide). Nullable, no default:
-- adding it rewrites nothing and takes no long lock.
ALTER TABLE "complaints" ADD COLUMN "status_from" "ComplaintStatus";
