-- A dispatch re-submitted after an ambiguous failure to a portal without lookup (lookup: none).
ALTER TABLE "dispatches" ADD COLUMN "possible_duplicate" BOOLEAN NOT NULL DEFAULT false;
