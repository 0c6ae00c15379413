-- Polling by reference: where the next page of a portal's open references starts.
ALTER TABLE "poll_cursors" ADD COLUMN "ref_cursor" UUID;
