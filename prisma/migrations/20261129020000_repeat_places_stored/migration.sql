-- Issue 15 §2–3: the places of a grievance read once and stored, English house numbers read as
-- addresses, "our area" not taken for another place (docs/citizen.md#repeats,
-- docs/benchmarks.md#repeat-detection).
--
-- The numbered addresses now come from the text itself, not from its key: the key folds doubled
-- letters and digits and drops one-letter words, so "House no. 66" kept nothing of "no" or of
-- 66 (6, then dropped), and "flat 4-B" lost its B. Place names still come from the key (Gomti
-- Nagar and गोमती नगर are both gmt).

-- The place names a text key names (20261128020000's grievance_places without the numbers).
CREATE FUNCTION grievance_place_names(text_key text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
DECLARE
  places text[] := '{}';
  m text[];
BEGIN
  -- One match for the common case of no place word at all (the loops below cost more).
  IF text_key !~ '(ngr|knd|prm|gnj|nklv|vhr|kln|mhl|bd|pr)\M|\mnr ' THEN
    RETURN '{}';
  END IF;
  FOR m IN SELECT regexp_matches(text_key, '([a-z]{2,}) (ngr|knd|prm|gnj|nklv|vhr|kln|mhl)\M', 'g') LOOP
    IF m[2] NOT IN ('kln', 'mhl') OR cardinality(grievance_lexicon_concepts(m[1])) = 0 THEN
      places := places || m[1];
    END IF;
  END LOOP;
  FOR m IN SELECT regexp_matches(text_key, '\m([a-z]{1,}(?:ngr|gnj|bd|prm|pr)|nr [a-z]{2,})\M', 'g') LOOP
    IF m[1] LIKE 'nr %' THEN
      places := places || substr(m[1], 4);
    ELSIF length(m[1]) >= 4 THEN
      places := places || m[1];
    END IF;
  END LOOP;
  -- our, my, this, that, same: "hamare mohalle", "this colony" name no place
  RETURN ARRAY(SELECT DISTINCT p FROM unnest(places) AS p WHERE p !~ '^(hmr|mr|hm|ts|tt|sm)$' ORDER BY p);
END
$$;

-- The numbered addresses a text gives, as '#<kind> <number>': house, flat, plot, quarter, door
-- (and makan, makaan, ghar, मकान, घर, फ्लैट, प्लॉट) are '#no'; ward, sector, gali / lane, block keep
-- their kind. "House no. 17", "H.No. 17", "house number 17", "#17", "मकान नंबर 17" and "makan no
-- 17" are all '#no 17'; "flat 4-B" and "Flat No. 4B" are '#no 4b'; "plot no B-12" is '#no b12'.
-- "h" and "म" (abbreviations) count only before no / नं.
CREATE FUNCTION grievance_addresses(t text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
DECLARE
  s text := translate(lower(t), '०१२३४५६७८९', '0123456789');
  found text[] := '{}';
  m text[];
BEGIN
  IF s !~ '[0-9]' THEN
    RETURN '{}';
  END IF;
  s := ' ' || regexp_replace(s, '[^a-z0-9#/\u0900-\u097f-]+', ' ', 'g') || ' ';
  FOR m IN SELECT regexp_matches(s,
      ' (house|makaa?n|ghar|flat|plot|quarter|qtr|door|मकान|घर|फ्लैट|फ़्लैट|प्लॉट|प्लाट|क्वार्टर'
      || '|ward|वार्ड|sector|सेक्टर|gali|lane|गली|block|ब्लॉक|h no|hno|h nmbr|म नं|म नंबर|#)'
      || '(?: (?:no|number|num|nmbr|nbr|नंबर|नम्बर|नं|संख्या))? ?#? ?'
      || '([a-z]-?)?([0-9]+)(-?[a-z](?![a-z0-9]))?(/[0-9]+)?(?![a-z0-9])', 'g') LOOP
    found := found || ('#' || CASE
      WHEN m[1] IN ('ward', 'वार्ड') THEN 'ward'
      WHEN m[1] IN ('sector', 'सेक्टर') THEN 'sector'
      WHEN m[1] IN ('gali', 'lane', 'गली') THEN 'gali'
      WHEN m[1] IN ('block', 'ब्लॉक') THEN 'block'
      ELSE 'no' END
      || ' ' || replace(coalesce(m[2], '') || m[3] || coalesce(m[4], '') || coalesce(m[5], ''), '-', ''));
  END LOOP;
  RETURN ARRAY(SELECT DISTINCT a FROM unnest(found) AS a ORDER BY a);
END
$$;

-- A text that places itself by "our area" (our / my / this area, locality, colony, mohalla;
-- हमारे / मेरे / इस इलाके, मोहल्ले, क्षेत्र; hamare / mere ilake, mohalle): it names no place, and
-- is not about another place than the one its author named before. Marked '@ours'.
CREATE FUNCTION grievance_says_ours(t text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT lower(t) ~ ('(^|[^a-z])(our|my|this) (area|locality|colony|mohalla|neighbourhood|neighborhood)([^a-z]|$)'
    || '|(^|[^a-z])(hamare|hamara|hamari|mere|mera|meri) (ilake|ilaake|ilaka|ilaaka|mohalle|mohalla|kshetra|chhetra|colony)([^a-z]|$)'
    || '|(हमारे|हमारा|हमारी|मेरे|मेरा|मेरी|इस) (इलाके|इलाका|मोहल्ले|मोहल्ला|क्षेत्र|कॉलोनी)')
$$;

-- The places a grievance names (stored in complaints.places, read by the score): the place
-- names of its key, its numbered addresses, and '@ours' when it says "our area".
CREATE FUNCTION grievance_places(text_key text, t text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT grievance_place_names(text_key) || grievance_addresses(t)
    || CASE WHEN grievance_says_ours(t) THEN '{@ours}'::text[] ELSE '{}' END
$$;

-- The problem a text names (concept tokens), place names left out.
CREATE OR REPLACE FUNCTION grievance_concepts(text_key text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
DECLARE
  places text[] := grievance_place_names(text_key);
BEGIN
  IF cardinality(places) = 0 THEN
    RETURN grievance_lexicon_concepts(text_key);
  END IF;
  RETURN grievance_lexicon_concepts(coalesce(
    (SELECT string_agg(w, ' ') FROM regexp_split_to_table(text_key, ' ') AS w WHERE w <> ALL (places)), ''));
END
$$;

DROP FUNCTION grievance_similarity(text, text);
DROP FUNCTION grievance_similarity_of_keys(text, text);
DROP FUNCTION grievance_score(text, text[], text, text[]);
DROP FUNCTION grievance_place_conflict(text, text);
DROP FUNCTION grievance_place_missing(text[], text);
DROP FUNCTION grievance_places(text);

-- True when `places` name a place (a name, not an address) and the other text (key `other`,
-- places `theirs`), a full grievance of at least five words that does not say "our area",
-- mentions none of them (its key with the spaces removed contains none: Gomtinagar is Gomti
-- Nagar). plpgsql expressions, no queries: the score calls it twice per candidate.
CREATE FUNCTION grievance_place_missing(places text[], other text, theirs text[]) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
DECLARE
  p text;
  named boolean := false;
BEGIN
  IF '@ours' = ANY (theirs) OR array_length(string_to_array(other, ' '), 1) < 5 THEN
    RETURN false;
  END IF;
  FOREACH p IN ARRAY places LOOP
    CONTINUE WHEN p !~ '^[a-z]';
    IF strpos(replace(other, ' ', ''), p) > 0 THEN
      RETURN false;
    END IF;
    named := true;
  END LOOP;
  RETURN named;
END
$$;

-- True when two texts (keys ka, kb; stored places pa, pb) are about different places: one names
-- a place the other does not mention (grievance_place_missing), or both give a numbered address
-- of one kind (house, ward, …) and none of that kind is the same.
CREATE FUNCTION grievance_place_conflict(ka text, pa text[], kb text, pb text[]) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
DECLARE
  a text;
  b text;
  kind text;
  theirs boolean;
  same boolean;
BEGIN
  IF ka = kb OR (pa = '{}' AND pb = '{}') THEN
    RETURN false;
  END IF;
  -- Per kind of address both give: a conflict when none of that kind is the same.
  FOREACH a IN ARRAY pa LOOP
    CONTINUE WHEN left(a, 1) <> '#';
    kind := split_part(a, ' ', 1) || ' ';
    theirs := false;
    same := false;
    FOREACH b IN ARRAY pb LOOP
      CONTINUE WHEN left(b, length(kind)) <> kind;
      theirs := true;
      same := b = ANY (pa);
      EXIT WHEN same;
    END LOOP;
    IF theirs AND NOT same THEN
      RETURN true;
    END IF;
  END LOOP;
  RETURN grievance_place_missing(pa, kb, pb) OR grievance_place_missing(pb, ka, pa);
END
$$;

-- How alike two grievance texts are, 0..1 (docs/citizen.md#repeats), from their stored keys,
-- concepts and places: as in 20261128020000 (× 0.3 on a place conflict), the places read from
-- the arguments instead of from both keys on every call.
CREATE FUNCTION grievance_score(ka text, ca text[], pa text[], kb text, cb text[], pb text[])
RETURNS real
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT CASE
    WHEN (cardinality(ca) = 0 AND length(ka) <= 30) OR (cardinality(cb) = 0 AND length(kb) <= 30)
      THEN 1::real
    ELSE (CASE WHEN grievance_place_conflict(ka, pa, kb, pb) THEN 0.3 ELSE 1 END
      * CASE WHEN cardinality(ca) = 0 OR cardinality(cb) = 0 THEN similarity(ka, kb)
          ELSE 0.7 * cardinality(ARRAY(SELECT unnest(ca) INTERSECT SELECT unnest(cb)))
                 / cardinality(ARRAY(SELECT unnest(ca) UNION SELECT unnest(cb)))
               + 0.3 * similarity(ka, kb)
        END)::real
  END
$$;

-- The score of two raw texts, as intake stores and scores them (what test/repeats measures).
CREATE FUNCTION grievance_similarity(a text, b text) RETURNS real
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT grievance_score(ka, grievance_concepts(ka), grievance_places(ka, a),
                         kb, grievance_concepts(kb), grievance_places(kb, b))
  FROM grievance_text_key(a) AS ka, grievance_text_key(b) AS kb
$$;

-- grievance_places(text_key, subject || ' ' || description), written by intake when its check
-- read them, else by the cluster link job. '{?}' (no place is '?'): not read yet, the checks
-- compute them -- grievances lodged before this migration, or by a process of the previous
-- build while this one rolls out (a default of '{}' would have said "no place" for those). Not
-- null, as Prisma lists are; a constant default: adding the column rewrites nothing, and no
-- backfill holds a lock on complaints (the link job fills a grievance's places when it links it).
ALTER TABLE "complaints" ADD COLUMN "places" TEXT[] NOT NULL DEFAULT '{?}';
