-- Lifecycle facts the citizen endpoints write and the SLA views read, kept on the grievance row
-- so a summary never joins the timeline: when it was resolved (or rejected) and by which
-- portal, the citizen's rating, and the appeal with its own deadline.

ALTER TABLE "complaints"
  ADD COLUMN "resolved_at"         TIMESTAMPTZ(3),
  ADD COLUMN "resolved_by_portal"  TEXT,
  ADD COLUMN "resolution_remarks"  TEXT,
  ADD COLUMN "feedback_rating"     SMALLINT,
  ADD COLUMN "feedback_at"         TIMESTAMPTZ(3),
  ADD COLUMN "appealed_at"         TIMESTAMPTZ(3),
  ADD COLUMN "appeal_due_at"       TIMESTAMPTZ(3),
  ADD CONSTRAINT "complaints_feedback_rating_check" CHECK ("feedback_rating" BETWEEN 1 AND 5);
