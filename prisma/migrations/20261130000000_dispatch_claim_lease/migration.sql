-- Issue 11 (a double delivery the fault suite found): a claim on a dispatch is a lease. Until it
-- runs out no other attempt may take the dispatch over, nor ask the portal whether it holds the
-- grievance; the holder renews it when it checks its claim before submitting. Null: no attempt
-- holds the dispatch (none claimed it, or the holder recorded its answer). A nullable column
-- without a default: no rewrite, no long lock.
ALTER TABLE dispatches ADD COLUMN claim_lease_until timestamptz(3);
