-- Issue 15 §3: a place-aware repeat score (docs/citizen.md#repeats, docs/benchmarks.md#repeat-detection).
-- Most false repeats on the labelled set were the same problem at a neighbouring place with the
-- same pincode ("garbage not collected in Aminabad" / "... in Chowk"): the texts differ only in
-- the place name, which the trigram score weighs like any other word. The address is encrypted,
-- so the places come from the text key (grievance_text_key, unchanged).

-- The lexicon lookup itself, unchanged, under a new name: grievance_concepts (below) now leaves
-- place names out first ("Indira Nagar" is not andhera, darkness: both are ndr).
ALTER FUNCTION grievance_concepts(text) RENAME TO grievance_lexicon_concepts;

-- The places a text key names: place names (a name before a word that only follows one -- nagar,
-- khand, puram, ganj, enclave, vihar; or before colony/mohalla when it is not a problem word; a
-- word ending like a locality -- Aliganj, Aminabad, Rajajipuram, Kanpur, Ashoknagar; the word after
-- "near") and, marked with '#', numbered addresses (house/plot/flat/quarter "no 14", "ward 12",
-- "sector 5", "gali 3", "block 2"; मकान नंबर 14 and house no. 14 are both '#no 14').
CREATE FUNCTION grievance_places(text_key text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT coalesce(array_agg(DISTINCT p ORDER BY p), '{}') FROM (
    SELECT m[1] AS p FROM regexp_matches(text_key, '([a-z]{2,}) (?:ngr|knd|prm|gnj|nklv|vhr)\M', 'g') AS m
    UNION ALL
    SELECT m[1] FROM regexp_matches(text_key, '([a-z]{2,}) (?:kln|mhl)\M', 'g') AS m
    WHERE cardinality(grievance_lexicon_concepts(m[1])) = 0
    UNION ALL
    SELECT m[1] FROM regexp_matches(text_key, '\m([a-z]{1,}(?:ngr|gnj|bd|prm|pr))\M', 'g') AS m
    WHERE length(m[1]) >= 4
    UNION ALL
    SELECT m[1] FROM regexp_matches(text_key, '\mnr ([a-z]{2,})\M', 'g') AS m
    UNION ALL
    SELECT '#' || CASE WHEN m[1] IN ('hs', 'mkn', 'gr', 'plt', 'flt', 'kvrtr') THEN 'no' ELSE m[1] END
      || ' ' || m[2]
    FROM regexp_matches(text_key,
      '\m(hs|mkn|gr|plt|flt|kvrtr|vrd|sktr|gl|blk)(?: nmbr| nbr| nmr)? ([0-9]+[a-z]?)\M', 'g') AS m
  ) x
  -- our, my, this, that, same: "hamare mohalle", "this colony" name no place
  WHERE p !~ '^(hmr|mr|hm|ts|tt|sm)$'
$$;

-- The problem a text names (concept tokens, as before), place names left out.
CREATE FUNCTION grievance_concepts(text_key text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT grievance_lexicon_concepts(coalesce(
    (SELECT string_agg(w, ' ') FROM regexp_split_to_table(text_key, ' ') AS w WHERE w <> ALL (x.places)), ''))
  FROM (SELECT grievance_places(text_key) AS places) AS x
$$;

-- True when the two texts are about different places: one names a place (a name) that the
-- other, a full grievance of at least five words, does not mention (a short "drain still blocked"
-- names no place and conflicts with none); or both give numbered addresses and none is the same.
-- A name is mentioned when it occurs in the other key with the spaces removed (Gomtinagar).
CREATE FUNCTION grievance_place_conflict(ka text, kb text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT EXISTS (
      SELECT 1 FROM (VALUES (pa, kb), (pb, ka)) AS t(places, other)
      WHERE cardinality(string_to_array(t.other, ' ')) >= 5
        AND EXISTS (SELECT 1 FROM unnest(t.places) AS p WHERE p !~ '^#')
        AND NOT EXISTS (SELECT 1 FROM unnest(t.places) AS p
                        WHERE p !~ '^#' AND position(p IN replace(t.other, ' ', '')) > 0))
    OR (na <> '{}' AND nb <> '{}' AND NOT na && nb)
  FROM (SELECT pa, pb,
          ARRAY(SELECT p FROM unnest(pa) AS p WHERE p ~ '^#') AS na,
          ARRAY(SELECT p FROM unnest(pb) AS p WHERE p ~ '^#') AS nb
        FROM (SELECT grievance_places(ka) AS pa, grievance_places(kb) AS pb) AS x) AS y
$$;

-- How alike two grievance texts are, 0..1 (docs/citizen.md#repeats): as before (a short text
-- naming no problem follows the other up: 1; else 0.7 x concept overlap + 0.3 x trigram
-- similarity of the keys, or the trigram similarity alone), times 0.3 when the texts are about
-- different places (grievance_place_conflict). 0.3 puts even identical wording at another place
-- below the default thresholds; tuned on the tuning half of test/repeats.
CREATE OR REPLACE FUNCTION grievance_score(ka text, ca text[], kb text, cb text[]) RETURNS real
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT CASE
    WHEN (cardinality(ca) = 0 AND length(ka) <= 30) OR (cardinality(cb) = 0 AND length(kb) <= 30)
      THEN 1::real
    ELSE (CASE WHEN grievance_place_conflict(ka, kb) THEN 0.3 ELSE 1 END
      * CASE WHEN cardinality(ca) = 0 OR cardinality(cb) = 0 THEN similarity(ka, kb)
          ELSE 0.7 * cardinality(ARRAY(SELECT unnest(ca) INTERSECT SELECT unnest(cb)))
                 / cardinality(ARRAY(SELECT unnest(ca) UNION SELECT unnest(cb)))
               + 0.3 * similarity(ka, kb)
        END)::real
  END
$$;

-- Stored concepts (complaints.concepts) as the new grievance_concepts makes them: the cluster
-- lookup filters on them and the score reads them. Only grievances lodged since 20261127050000
-- have a text_key.
UPDATE complaints SET concepts = grievance_concepts(text_key)
WHERE text_key IS NOT NULL AND concepts IS DISTINCT FROM grievance_concepts(text_key);
