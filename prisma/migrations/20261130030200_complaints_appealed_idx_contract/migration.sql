-- hub:contract
-- hub:no-transaction
-- Issue 17: the index of appealed grievances by instant received (20261129030100) is replaced
-- by complaints_appeals_idx (20261130027000), keyed by state. An older hub's appeal counts read
-- it, so it goes only once every process runs this version (decision 0032).
DROP INDEX CONCURRENTLY IF EXISTS "complaints_appealed_idx";
