-- hub:no-transaction
-- Issue 17 (after 20261130026000, which adds the columns and the triggers that keep them from
-- then on): the decision of every appeal already lodged, from the timeline, 5,000 appealed
-- grievances per committed batch (through complaints_appealed_idx), then the index the views
-- read appeals from: appealed grievances by state and instant received, with everything the
-- filters and counts need (index-only). A batch never replaces a decision a trigger wrote
-- meanwhile with a later one, nor writes one for an appeal that changed since it read it. A
-- decision the trigger wrote is replaced only by an earlier one; at one instant the tie order
-- decides (see 20261130026000).
-- Every statement can run again.
DO $$
DECLARE
  last_created TIMESTAMPTZ := '-infinity';
  last_id UUID := '00000000-0000-0000-0000-000000000000';
  batch UUID[];
BEGIN
  LOOP
    SELECT array_agg(id ORDER BY created_at, id), max(created_at) INTO batch, last_created
    FROM (SELECT id, created_at FROM complaints
          WHERE appealed_at IS NOT NULL AND (created_at, id) > (last_created, last_id)
          ORDER BY created_at, id LIMIT 5000) b;
    EXIT WHEN batch IS NULL;
    -- The batch's rows locked in id order, as the status sync locks its grievances: the two
    -- never wait for each other in a circle.
    PERFORM 1 FROM complaints WHERE id = ANY(batch) ORDER BY id FOR UPDATE;
    UPDATE complaints c SET appeal_decided_at = d.occurred_at, appeal_decision = d.status
    FROM complaints x CROSS JOIN LATERAL hub_appeal_decision(x.id, x.appealed_at) d
    WHERE x.id = ANY(batch) AND c.id = x.id AND d.occurred_at IS NOT NULL
      AND c.appealed_at = x.appealed_at
      AND (c.appeal_decided_at IS NULL OR c.appeal_decided_at > d.occurred_at
        OR (c.appeal_decided_at = d.occurred_at
          AND hub_appeal_decision_rank(d.status) < hub_appeal_decision_rank(c.appeal_decision)));
    last_id := batch[array_length(batch, 1)];
    COMMIT;
  END LOOP;
END $$;

DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('complaints_appeals_idx') AND NOT indisvalid) THEN
    DROP INDEX complaints_appeals_idx;
  END IF;
END $$;
CREATE INDEX CONCURRENTLY IF NOT EXISTS "complaints_appeals_idx" ON "complaints" ("state_code", "created_at")
  INCLUDE ("district_code", "primary_portal_code", "category", "ministry_code", "appeal_due_at",
    "appeal_decision")
  WHERE "appealed_at" IS NOT NULL;
