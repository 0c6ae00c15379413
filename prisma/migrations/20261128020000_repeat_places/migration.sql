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
-- "sector 5", "gali 3", "block 2"; मकान नंबर 14 and makan no 14 are both '#no 14'; English
-- "House no. 14" is not seen: the text key drops h and one-letter words, leaving a bare 14).
-- plpgsql, not sql: its statements' plans are cached for the session (written in sql with
-- subqueries, the score was about 10x slower again, measured on test/repeats).
CREATE FUNCTION grievance_places(text_key text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
DECLARE
  places text[] := '{}';
  m text[];
BEGIN
  -- One match for the common case of no place word at all (the loops below cost more).
  IF text_key !~ '(ngr|knd|prm|gnj|nklv|vhr|kln|mhl|bd|pr)\M|\mnr |[0-9]' THEN
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
  FOR m IN SELECT regexp_matches(text_key,
      '\m(hs|mkn|gr|plt|flt|kvrtr|vrd|sktr|gl|blk)(?: nmbr| nbr| nmr)? ([0-9]+[a-z]?)\M', 'g') LOOP
    places := places || ('#' || CASE WHEN m[1] IN ('hs', 'mkn', 'gr', 'plt', 'flt', 'kvrtr') THEN 'no'
                                     ELSE m[1] END || ' ' || m[2]);
  END LOOP;
  -- our, my, this, that, same: "hamare mohalle", "this colony" name no place
  RETURN ARRAY(SELECT DISTINCT p FROM unnest(places) AS p WHERE p !~ '^(hmr|mr|hm|ts|tt|sm)$' ORDER BY p);
END
$$;

-- The problem a text names (concept tokens, as before), place names left out.
CREATE FUNCTION grievance_concepts(text_key text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
DECLARE
  places text[] := grievance_places(text_key);
BEGIN
  IF cardinality(places) = 0 THEN
    RETURN grievance_lexicon_concepts(text_key);
  END IF;
  RETURN grievance_lexicon_concepts(coalesce(
    (SELECT string_agg(w, ' ') FROM regexp_split_to_table(text_key, ' ') AS w WHERE w <> ALL (places)), ''));
END
$$;

-- True when `places` name a place and `other`, a full grievance (at least five words), mentions
-- none of them (its key with the spaces removed contains none: Gomtinagar is Gomti Nagar).
CREATE FUNCTION grievance_place_missing(places text[], other text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT array_length(string_to_array(other, ' '), 1) >= 5
    AND EXISTS (SELECT 1 FROM unnest(places) AS p WHERE p NOT LIKE '#%')
    AND NOT EXISTS (SELECT 1 FROM unnest(places) AS p
                    WHERE p NOT LIKE '#%' AND strpos(replace(other, ' ', ''), p) > 0)
$$;

-- True when the two texts are about different places: one names a place (a name) that the
-- other, a full grievance of at least five words, does not mention (a short "drain still blocked"
-- names no place and conflicts with none); or both give numbered addresses and none is the same.
CREATE FUNCTION grievance_place_conflict(ka text, kb text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
DECLARE
  pa text[];
  pb text[];
  na text[];
  nb text[];
BEGIN
  -- The same key names the same places (a grievance lodged twice word for word).
  IF ka = kb THEN
    RETURN false;
  END IF;
  pa := grievance_places(ka);
  pb := grievance_places(kb);
  IF pa = '{}' AND pb = '{}' THEN
    RETURN false;
  END IF;
  na := ARRAY(SELECT p FROM unnest(pa) AS p WHERE p LIKE '#%');
  nb := ARRAY(SELECT p FROM unnest(pb) AS p WHERE p LIKE '#%');
  IF na <> '{}' AND nb <> '{}' AND NOT na && nb THEN
    RETURN true;
  END IF;
  RETURN grievance_place_missing(pa, kb) OR grievance_place_missing(pb, ka);
END
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
