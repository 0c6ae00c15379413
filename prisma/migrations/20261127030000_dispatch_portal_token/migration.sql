-- An asynchronous portal's answer to a submit (an Open311 batch service's token): the dispatch
-- waits for it to resolve to the portal's reference (adapter resolveToken).
ALTER TABLE "dispatches" ADD COLUMN "portal_token" TEXT;
