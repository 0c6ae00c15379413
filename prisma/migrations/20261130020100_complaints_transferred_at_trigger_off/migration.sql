-- Issue 17 (after 20261130020000_complaints_transferred_at): this version's lifecycle writes
-- complaints.transferred_at itself, so the trigger that filled it for an older hub goes.
DROP TRIGGER IF EXISTS complaints_transferred_at ON complaints;
DROP FUNCTION IF EXISTS _hub_complaints_transferred_at();
