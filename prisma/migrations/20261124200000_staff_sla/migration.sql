-- Staff access, audit, SLA actions, the SLA rollup that keeps the staff views fast at 10 million
-- grievances, and the indexes the SLA scheduler, breach list and retention job read.

-- API keys: only a SHA-256 of the (256-bit random) key is stored; `prefix` lets staff tell keys apart.
CREATE TABLE "api_keys" (
  "id"           UUID NOT NULL,
  "name"         TEXT NOT NULL,
  "role"         TEXT NOT NULL,
  "key_hash"     TEXT NOT NULL,
  "prefix"       TEXT NOT NULL,
  "created_at"   TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "revoked_at"   TIMESTAMPTZ(3),
  "last_used_at" TIMESTAMPTZ(3),
  CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "api_keys_role_check" CHECK ("role" IN ('staff', 'admin'))
);
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys" ("key_hash");

-- Every staff action (and every refused one): who, what, on what, with which outcome.
CREATE TABLE "audit_log" (
  "id"          UUID NOT NULL,
  "at"          TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "api_key_id"  UUID,
  "actor"       TEXT NOT NULL,
  "role"        TEXT,
  "action"      TEXT NOT NULL,
  "target"      TEXT,
  "outcome"     TEXT NOT NULL,
  "detail"      JSONB,
  "request_id"  TEXT,
  CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "audit_log_at_idx" ON "audit_log" ("at");
CREATE INDEX "audit_log_actor_idx" ON "audit_log" ("api_key_id", "at");

-- What the SLA scheduler did, once per grievance and level (warning, breach, escalation:<name>).
-- `final` marks the grievance's last level so the scan stops looking at it.
CREATE TABLE "sla_actions" (
  "complaint_id"    UUID NOT NULL,
  "level"           TEXT NOT NULL,
  "acted_at"        TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "final"           BOOLEAN NOT NULL DEFAULT false,
  "portal_code"     TEXT NOT NULL,
  "reminder"        TEXT NOT NULL,
  CONSTRAINT "sla_actions_pkey" PRIMARY KEY ("complaint_id", "level"),
  CONSTRAINT "sla_actions_complaint_id_fkey" FOREIGN KEY ("complaint_id")
    REFERENCES "complaints" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "sla_actions_final_idx" ON "sla_actions" ("complaint_id") WHERE "final";

-- Daily (and monthly) rollup per dimension: grain 'day' | 'month', dim 'all' | 'portal' | 'state' |
-- 'district' | 'category', key the group value. `day` is the IST date the grievance was received
-- (first of the month for month rows). resolve_days[i] counts grievances resolved in i days
-- (i = 0..180, the last bucket holds 180 and more): median and p90 come from it exactly.
CREATE TABLE "sla_rollup" (
  "grain"           TEXT NOT NULL,
  "day"             DATE NOT NULL,
  "dim"             TEXT NOT NULL,
  "key"             TEXT NOT NULL,
  "state_code"      TEXT NOT NULL DEFAULT '',
  "total"           INTEGER NOT NULL,
  "resolved"        INTEGER NOT NULL,
  "resolved_within" INTEGER NOT NULL,
  "resolved_late"   INTEGER NOT NULL,
  "appealed"        INTEGER NOT NULL,
  "feedback_count"  INTEGER NOT NULL,
  "feedback_sum"    INTEGER NOT NULL,
  "resolve_days"    INTEGER[] NOT NULL,
  CONSTRAINT "sla_rollup_pkey" PRIMARY KEY ("grain", "dim", "day", "key")
);

-- Refresh bookkeeping: complaints updated after `watermark` have not been rolled up yet.
CREATE TABLE "sla_rollup_state" (
  "id"           SMALLINT NOT NULL,
  "watermark"    TIMESTAMPTZ(3) NOT NULL,
  "refreshed_at" TIMESTAMPTZ(3) NOT NULL,
  CONSTRAINT "sla_rollup_state_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "complaints" ADD COLUMN "pii_erased_at" TIMESTAMPTZ(3);

-- Open grievances by deadline, covering what the breach count groups by: the summary counts
-- open-past-due with an index-only scan, the scheduler and the breach list walk it in order.
CREATE INDEX "complaints_open_due_idx" ON "complaints" ("sla_due_at", "id")
  INCLUDE ("primary_portal_code", "state_code", "district_code", "category", "created_at")
  WHERE "resolved_at" IS NULL AND "sla_due_at" IS NOT NULL;
-- The rollup refresh finds the days touched since its watermark.
CREATE INDEX "complaints_updated_at_idx" ON "complaints" ("updated_at");
-- The retention job finds closed grievances that still hold personal data.
CREATE INDEX "complaints_closed_pii_idx" ON "complaints" ("closed_at")
  WHERE "complainant_cipher" IS NOT NULL;
-- Portal health: last delivery per portal.
CREATE INDEX "dispatches_portal_delivered_idx" ON "dispatches" ("portal_code", "delivered_at");

-- Histogram helpers for the rollup: a dense int[] (index 1 = 0 days) from (days, count) pairs,
-- and an element-wise sum aggregate to fold day rows into month rows.
CREATE FUNCTION sla_histogram(days INTEGER[], counts INTEGER[]) RETURNS INTEGER[]
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_agg(coalesce(c.n, 0) ORDER BY i), '{}')
  FROM generate_series(0, coalesce((SELECT max(d) FROM unnest(days) d), -1)) i
  LEFT JOIN (SELECT d, sum(n)::int AS n FROM unnest(days, counts) u(d, n)
             WHERE d IS NOT NULL GROUP BY d) c ON c.d = i
$$;

CREATE FUNCTION sla_hist_add(a INTEGER[], b INTEGER[]) RETURNS INTEGER[]
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_agg(coalesce(a[i], 0) + coalesce(b[i], 0) ORDER BY i), '{}')
  FROM generate_series(1, greatest(coalesce(array_length(a, 1), 0), coalesce(array_length(b, 1), 0))) i
$$;

CREATE AGGREGATE sla_hist_sum(INTEGER[]) (SFUNC = sla_hist_add, STYPE = INTEGER[], INITCOND = '{}');
