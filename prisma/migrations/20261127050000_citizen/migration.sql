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

-- The problem a text names, as concept tokens: a small bilingual lexicon of grievance words
-- (their text keys: बिजली, bijli and electricity are all power). Written for the measured set in
-- test/repeats (docs/benchmarks.md#repeat-detection says what that means for the figures).
CREATE FUNCTION grievance_concepts(text_key text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT coalesce(array_agg(DISTINCT c.concept ORDER BY c.concept), '{}')
  FROM regexp_split_to_table(text_key, ' ') AS w(word)
  JOIN (VALUES
    ('lt', 'qlight'), ('lts', 'qlight'), ('strtlt', 'qlight'), ('strtlts', 'qlight'), ('lmp', 'qlight'), ('lmps', 'qlight'),
    ('ltng', 'qlight'), ('ndr', 'qlight'), ('drk', 'qlight'), ('sdk', 'qroad'), ('rd', 'qroad'), ('rds', 'qroad'),
    ('strt', 'qroad'), ('pn', 'qwater'), ('vtr', 'qwater'), ('nl', 'qtap'), ('tp', 'qtap'), ('tps', 'qtap'),
    ('spl', 'qsupply'), ('sply', 'qsupply'), ('gnd', 'qdirty'), ('drty', 'qdirty'), ('mdy', 'qdirty'), ('mtml', 'qdirty'),
    ('bdb', 'qsmell'), ('bdbdr', 'qsmell'), ('smly', 'qsmell'), ('stnk', 'qsmell'), ('stnks', 'qsmell'), ('bmr', 'qsick'),
    ('sk', 'qsick'), ('kd', 'qgarbage'), ('kcr', 'qgarbage'), ('grbg', 'qgarbage'), ('vst', 'qgarbage'), ('rbs', 'qgarbage'),
    ('drn', 'qdrain'), ('drns', 'qdrain'), ('svr', 'qdrain'), ('svg', 'qdrain'), ('ck', 'qdrain'), ('ckd', 'qdrain'),
    ('blkd', 'qdrain'), ('jm', 'qdrain'), ('gd', 'qpothole'), ('ptl', 'qpothole'), ('ptls', 'qpothole'), ('pt', 'qpothole'),
    ('pts', 'qpothole'), ('krb', 'qbroken'), ('brkn', 'qbroken'), ('tt', 'qbroken'), ('dmgd', 'qbroken'), ('brnt', 'qbroken'),
    ('jl', 'qbroken'), ('drgtn', 'qaccident'), ('kdnt', 'qaccident'), ('kdnts', 'qaccident'), ('bjl', 'qpower'), ('lktrkty', 'qpower'),
    ('pvr', 'qpower'), ('kt', 'qcut'), ('kts', 'qcut'), ('trnsfrmr', 'qtransformer'), ('bl', 'qbill'), ('bls', 'qbill'),
    ('mtr', 'qmeter'), ('rdng', 'qmeter'), ('rsn', 'qration'), ('rtn', 'qration'), ('ktdr', 'qration'), ('dkn', 'qshop'),
    ('sp', 'qshop'), ('gn', 'qgrain'), ('vt', 'qgrain'), ('cvl', 'qgrain'), ('rk', 'qgrain')
  ) AS c(word, concept) ON c.word = w.word
$$;

-- How alike two grievance texts are, 0..1, from their text keys and concepts
-- (docs/citizen.md#repeats):
--  * a short text naming no problem ("still not fixed", "अभी तक ठीक नहीं हुआ") follows the other
--    up: 1;
--  * both name problems: 0.7 × the overlap (Jaccard) of their concepts + 0.3 × the trigram
--    similarity of their text keys (the concepts carry a Hindi text to its English twin; two
--    texts in one template about different problems stay apart);
--  * otherwise the trigram similarity of the text keys.
-- Plain SQL (inlined by the planner): intake scores up to 100 candidates per grievance.
CREATE FUNCTION grievance_score(ka text, ca text[], kb text, cb text[]) RETURNS real
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT CASE
    WHEN (cardinality(ca) = 0 AND length(ka) <= 30) OR (cardinality(cb) = 0 AND length(kb) <= 30)
      THEN 1::real
    WHEN cardinality(ca) = 0 OR cardinality(cb) = 0 THEN similarity(ka, kb)
    ELSE (0.7 * cardinality(ARRAY(SELECT unnest(ca) INTERSECT SELECT unnest(cb)))
            / cardinality(ARRAY(SELECT unnest(ca) UNION SELECT unnest(cb)))
          + 0.3 * similarity(ka, kb))::real
  END
$$;

CREATE FUNCTION grievance_similarity_of_keys(ka text, kb text) RETURNS real
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT grievance_score(ka, grievance_concepts(ka), kb, grievance_concepts(kb))
$$;

CREATE FUNCTION grievance_similarity(a text, b text) RETURNS real
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT grievance_similarity_of_keys(grievance_text_key(a), grievance_text_key(b))
$$;

-- Lodged with a citizen token (the mobile answered a one-time code): staff see which.
-- A constant default: adding the column rewrites nothing.
ALTER TABLE "complaints" ADD COLUMN "mobile_verified" BOOLEAN NOT NULL DEFAULT false;
-- The first grievance of a cluster (different citizens, same problem); null: in none.
ALTER TABLE "complaints" ADD COLUMN "cluster_id" UUID;
-- grievance_text_key(subject || ' ' || description) and its concepts, written at intake; on
-- grievances lodged before this migration text_key is null and the checks compute both.
ALTER TABLE "complaints" ADD COLUMN "text_key" TEXT;
ALTER TABLE "complaints" ADD COLUMN "concepts" TEXT[] NOT NULL DEFAULT '{}';
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
