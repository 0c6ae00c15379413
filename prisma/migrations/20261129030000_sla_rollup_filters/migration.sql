-- Issues 16 §2 and 17: the analyst's filtered views at scale. `sla_rollup` keeps one dimension
-- per row, so it cannot answer "portal X within state Y"; those views read every matching
-- grievance (1–2 s at 1M). This second rollup keeps the sums per IST day (and month) received
-- and every (portal, state, category, ministry) at once, so any filter on those four, grouped
-- by any of them or by month, is a sum of its rows. The district is not in it (it would make
-- about one row per grievance): a view filtered or grouped by district with another filter
-- stays live (docs/sla.md). `ministry` is the ministry key ('-': state subjects), never ''.
-- `ratings[i]`: grievances rated i (1–5). Written by the same refresh, in the same
-- transaction, as `sla_rollup` (SlaRollupRepository).
CREATE TABLE "sla_rollup_filters" (
  "grain"           TEXT NOT NULL,
  "day"             DATE NOT NULL,
  "state_code"      TEXT NOT NULL,
  "portal"          TEXT NOT NULL,
  "category"        TEXT NOT NULL,
  "ministry"        TEXT NOT NULL,
  "total"           INTEGER NOT NULL,
  "resolved"        INTEGER NOT NULL,
  "resolved_within" INTEGER NOT NULL,
  "resolved_late"   INTEGER NOT NULL,
  "appealed"        INTEGER NOT NULL,
  "feedback_count"  INTEGER NOT NULL,
  "feedback_sum"    INTEGER NOT NULL,
  "resolve_days"    INTEGER[] NOT NULL,
  "ratings"         INTEGER[] NOT NULL,
  CONSTRAINT "sla_rollup_filters_pkey"
    PRIMARY KEY ("grain", "day", "state_code", "portal", "category", "ministry")
);

-- The new rollup is empty: the next refresh rebuilds both from scratch (no watermark).
DELETE FROM "sla_rollup_state";

-- The indexes the views read (ageing, appeals) are built concurrently in the next migration
-- (20261129030100_sla_view_indexes), so intake goes on writing to complaints meanwhile.
