-- hub:no-transaction
-- Issue 16, decision 0026: the foreign key 20261129010100 added NOT VALID is checked against
-- the existing actions here (SHARE UPDATE EXCLUSIVE on sla_actions: reads and writes go on).
ALTER TABLE "sla_actions" VALIDATE CONSTRAINT "sla_actions_portal_request_fkey";
