-- Issue 11: a rollup row is keyed by its state as well. District codes are unique across India,
-- but a grievance stored with another state's district (before intake checked it) made two rows
-- with one key, and every refresh after it failed on sla_rollup_pkey. Existing rows stay unique.
ALTER TABLE "sla_rollup" DROP CONSTRAINT "sla_rollup_pkey";
ALTER TABLE "sla_rollup" ADD CONSTRAINT "sla_rollup_pkey" PRIMARY KEY ("grain", "dim", "day", "state_code", "key");
