-- hub:contract
-- Issue 17 (after 20261130020000_complaints_transferred_at; a contract migration: in
-- production it waits for `npm run migrate -- --contract`, run once every process runs this
-- version). This version's lifecycle writes complaints.transferred_at itself, so the trigger
-- that filled it for the timeline entries of an older hub goes. (It was made before the fill
-- from the timeline, so nothing fell between the two.)
DROP TRIGGER IF EXISTS status_events_transferred_at ON status_events;
DROP FUNCTION IF EXISTS _hub_complaints_transferred_at();
