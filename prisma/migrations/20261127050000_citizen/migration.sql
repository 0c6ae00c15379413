-- Issue 15: verified mobile and citizen sessions, repeat and cluster detection at intake.
-- pg_trgm is a contrib extension shipped with PostgreSQL (Debian: in postgresql-15 itself;
-- other distributions: the postgresql-contrib package). Creating it needs CREATE on the database.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The text repeat detection compares (docs/citizen.md#repeats): a consonant skeleton shared by
-- Hindi in Devanagari, Hinglish and English spellings of the same words. Lower case; Latin "ch"
-- kept as c, other c as k (colony = कॉलोनी), ph as f, ght as t, x as ks, w as v, q as k, z as j;
-- each Devanagari consonant to one Latin letter, nukta dropped (सड़क = sadak), anusvara as n;
-- vowels, matras, h and virama dropped; doubled letters folded; one-letter words dropped.
CREATE FUNCTION grievance_text_key(t text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
DECLARE
  s text := lower(t);
BEGIN
  s := replace(replace(replace(replace(s, 'ph', 'f'), 'ch', '§'), 'c', 'k'), '§', 'c');
  s := replace(replace(replace(s, 'ght', 't'), 'x', 'ks'), U&'\093C', '');
  s := translate(s,
    'कखगघङचछजझञटठडढणतथदधनपफबभमयरलवशषसहंwqz०१२३४५६७८९'
      || 'अआइईउऊऋएऐओऔऍऑािीुूृेैोौॅॉ्ँः',
    'kkggnccjjnttddnttddnpfbbmyrlvssshnvkj0123456789');
  s := regexp_replace(s, '[^a-z0-9]+', ' ', 'g');
  s := regexp_replace(s, '[aeiouh]', '', 'g');
  s := regexp_replace(s, '([a-z0-9])\1+', '\1', 'g');
  s := regexp_replace(s, '\m[a-z0-9]\M', '', 'g');
  RETURN btrim(regexp_replace(s, ' +', ' ', 'g'));
END
$$;

-- How alike two grievance texts are, 0..1: trigram similarity of their text keys.
CREATE FUNCTION grievance_similarity(a text, b text) RETURNS real
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT similarity(grievance_text_key(a), grievance_text_key(b))
$$;

-- Lodged with a citizen token (the mobile answered a one-time code): staff see which.
-- A constant default: adding the column rewrites nothing.
ALTER TABLE "complaints" ADD COLUMN "mobile_verified" BOOLEAN NOT NULL DEFAULT false;
-- The first grievance of a cluster (different citizens, same problem); null: in none.
ALTER TABLE "complaints" ADD COLUMN "cluster_id" UUID;
-- grievance_text_key(subject || ' ' || description), written at intake; null on grievances
-- lodged before this migration (the checks compute it for them).
ALTER TABLE "complaints" ADD COLUMN "text_key" TEXT;
CREATE INDEX "complaints_cluster_idx" ON "complaints" ("cluster_id") WHERE "cluster_id" IS NOT NULL;
-- Cluster candidates: same district and category, lodged within the window.
CREATE INDEX "complaints_district_category_idx"
  ON "complaints" ("district_code", "category", "created_at");

-- One live one-time code per mobile (keyed hashes only: the mobile and the code).
CREATE TABLE "citizen_otps" (
  "mobile_lookup" TEXT NOT NULL,
  "code_hash" TEXT NOT NULL,
  "attempts_left" INTEGER NOT NULL,
  "expires_at" TIMESTAMPTZ(3) NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  CONSTRAINT "citizen_otps_pkey" PRIMARY KEY ("mobile_lookup")
);
CREATE INDEX "citizen_otps_expires_at_idx" ON "citizen_otps" ("expires_at");

-- Fixed-window counters shared by every api process: code sends and attempts per mobile and
-- per address (keys are keyed hashes).
CREATE TABLE "citizen_rate_counters" (
  "key" TEXT NOT NULL,
  "window_start" TIMESTAMPTZ(3) NOT NULL,
  "count" INTEGER NOT NULL,
  CONSTRAINT "citizen_rate_counters_pkey" PRIMARY KEY ("key")
);
CREATE INDEX "citizen_rate_counters_window_start_idx" ON "citizen_rate_counters" ("window_start");

-- Citizen sessions: the token's hash, the mobile's keyed hash, a short life.
CREATE TABLE "citizen_sessions" (
  "token_hash" TEXT NOT NULL,
  "mobile_lookup" TEXT NOT NULL,
  "expires_at" TIMESTAMPTZ(3) NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  CONSTRAINT "citizen_sessions_pkey" PRIMARY KEY ("token_hash")
);
CREATE INDEX "citizen_sessions_expires_at_idx" ON "citizen_sessions" ("expires_at");
