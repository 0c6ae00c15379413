-- Issue 17: a district view with another filter (`groupBy=district&state=09&category=ROADS`,
-- `district=162&groupBy=portal`) was the last summary read live from every grievance of the
-- state (2.5 s at 10M). `sla_rollup` has the district but one dimension per row;
-- `sla_rollup_filters` has portal, state, category and ministry but not the district (per day it
-- would hold about one row per grievance). This third rollup keeps the same sums per IST month
-- received and every (state, district, portal, category, ministry) at once: about 15,000 rows a
-- month for all of India. Days at the edges of a range that are not whole months are read live
-- (docs/sla.md). `district` is the district code, '-' || state_code without one (as
-- sla_rollup's district key); `ministry` '-' for state subjects, never ''. `ratings[i]`:
-- grievances rated i (1–5).
CREATE TABLE "sla_rollup_districts" (
  "month"           DATE NOT NULL,
  "state_code"      TEXT NOT NULL,
  "district"        TEXT NOT NULL,
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
  CONSTRAINT "sla_rollup_districts_pkey"
    PRIMARY KEY ("month", "state_code", "district", "portal", "category", "ministry")
);
-- One district asked for without its state.
CREATE INDEX "sla_rollup_districts_district_idx" ON "sla_rollup_districts" ("district", "month");

-- Its own watermark: NULL until the refresh has built it from every grievance (an existing
-- database's next refresh does, in its transaction, without truncating the other rollups), so
-- the views read live until then. Kept apart from `watermark` because an older hub still
-- refreshing during a rolling deploy moves that one without writing this table: the months it
-- saw change are found again from here.
ALTER TABLE "sla_rollup_state" ADD COLUMN "districts_watermark" TIMESTAMPTZ(3);
