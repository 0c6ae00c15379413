import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLACE_CONFLICT_MAX_SCORE } from '../../src/complaints/repeat-check.repository';
import { parseEnv } from '../../src/platform/config/env.schema';
import { useTestDatabase } from '../support/database';

interface LabelledPair {
  id: number;
  kind: string;
  repeat: boolean;
  a: string;
  b: string;
  pincodeA: string;
  pincodeB: string;
}

const pairs = JSON.parse(
  readFileSync(join(__dirname, '..', 'repeats', 'pairs.json'), 'utf8'),
) as LabelledPair[];

/**
 * The tuning half of the set: the default threshold was chosen on it, the other half is held out
 * (docs/benchmarks.md#repeat-detection). By the md5 of the pair id, so adding pairs moves none.
 */
const tuning = (p: LabelledPair) => createHash('md5').update(String(p.id)).digest('hex') < '8';

/**
 * Precision and recall of intake's repeat detection on the labelled set (test/repeats), with the
 * real SQL function and the default threshold. The floors are what the detector meets today
 * (docs/benchmarks.md#repeat-detection), a little under, so a change of the score that loses
 * quality fails here (the functions before 20261129020000 give held out 0.931 / 0.792 on these
 * 388 pairs). The target (precision 0.95 at recall 0.80) is met on both halves.
 */
describe('repeat detection on the labelled pairs', () => {
  const pg = useTestDatabase();
  const env = parseEnv({ NODE_ENV: 'test' });
  if (!env.ok) throw new Error('default environment does not parse');
  const threshold = env.env.repeats.similarity;

  async function scores(): Promise<Map<number, number>> {
    const { rows } = await pg.client.query<{ id: number; score: number }>(
      `SELECT id, grievance_similarity(a, b) AS score
       FROM jsonb_to_recordset($1::jsonb) AS p(id int, a text, b text)`,
      [JSON.stringify(pairs)],
    );
    return new Map(rows.map((r) => [r.id, Number(r.score)]));
  }

  it('is a set of at least 300 pairs of both labels and every hard case', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(300);
    const kinds = new Set(pairs.map((p) => `${p.repeat}:${p.kind}`));
    for (const kind of [
      'true:translation',
      'true:transliteration',
      'true:english-hinglish',
      'true:paraphrase',
      'true:follow-up',
      'false:same place, other problem',
      'false:same problem, other place',
      'false:short, other problem',
      'true:place left out',
      'true:same house number',
      'false:other house number',
      'false:other house number, place left out',
    ]) {
      expect(kinds).toContain(kind);
    }
  });

  function measure(score: Map<number, number>, of: LabelledPair[]) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const p of of) {
      // Intake compares only grievances at the same pincode (and mobile, district, category).
      const hit = p.pincodeA === p.pincodeB && score.get(p.id)! >= threshold;
      if (hit && p.repeat) tp++;
      else if (hit) fp++;
      else if (p.repeat) fn++;
    }
    const round = (x: number) => Math.round(x * 1000) / 1000;
    return { precision: round(tp / (tp + fp)), recall: round(tp / (tp + fn)) };
  }

  it('meets its measured precision and recall at the default threshold, held out and in all', async () => {
    const score = await scores();
    const heldOut = measure(
      score,
      pairs.filter((p) => !tuning(p)),
    );
    const all = measure(score, pairs);
    const tuned = measure(score, pairs.filter(tuning));
    // Measured: held out 1.000 / 0.850, all 0.990 / 0.855, tuning 0.980 / 0.861.
    expect({
      heldOut: heldOut.precision >= 0.99 && heldOut.recall >= 0.84,
      all: all.precision >= 0.98 && all.recall >= 0.85,
      tuning: tuned.precision >= 0.97 && tuned.recall >= 0.85,
    }).toEqual({ heldOut: true, all: true, tuning: true });
  });

  /**
   * Cluster linking (other citizens, same problem at the same place) on the subset of the pairs
   * that says something about it: positives are the repeats that name the problem at one place
   * (translations, spellings, paraphrases, a short text naming the problem, "our area"), negatives
   * the same place with another problem and the same problem at another place; left out are
   * follow-ups ("still not fixed" is no other citizen's report), house numbers (two houses may
   * share a street's problem) and other pincodes (not compared). Linked when both texts share a
   * concept and score at least the default CLUSTER_SIMILARITY, as the link job does.
   */
  it('links clusters with its measured precision and recall at the default threshold', async () => {
    const linked = new Set(['translation', 'transliteration', 'english-hinglish', 'spelling']);
    for (const k of ['paraphrase', 'same text', 'short, same problem', 'place left out'])
      linked.add(k);
    const apart = new Set(['same place, other problem', 'same problem, other place']);
    apart.add('short, other problem');
    const subset = pairs.filter(
      (p) => p.pincodeA === p.pincodeB && (p.repeat ? linked.has(p.kind) : apart.has(p.kind)),
    );
    const { rows } = await pg.client.query<{ id: number; link: boolean }>(
      `SELECT id, grievance_concepts(grievance_text_key(a)) && grievance_concepts(grievance_text_key(b))
                  AND grievance_similarity(a, b) >= $2 AS link
       FROM jsonb_to_recordset($1::jsonb) AS p(id int, a text, b text)`,
      [JSON.stringify(subset), env.env.repeats.clusterSimilarity],
    );
    const link = new Map(rows.map((r) => [r.id, r.link]));
    const measureLinks = (of: LabelledPair[]) => {
      const tp = of.filter((p) => p.repeat && link.get(p.id)).length;
      const fp = of.filter((p) => !p.repeat && link.get(p.id)).length;
      const fn = of.filter((p) => p.repeat && !link.get(p.id)).length;
      return { precision: tp / (tp + fp), recall: tp / (tp + fn) };
    };
    const heldOut = measureLinks(subset.filter((p) => !tuning(p)));
    const all = measureLinks(subset);
    const tuned = measureLinks(subset.filter(tuning));
    // Measured at 0.35: held out 1.000 / 0.828, all 0.987 / 0.844, tuning 0.974 / 0.862 (258 pairs).
    expect(subset.length).toBe(258);
    expect({
      heldOut: heldOut.precision >= 0.99 && heldOut.recall >= 0.82,
      all: all.precision >= 0.98 && all.recall >= 0.84,
      tuning: tuned.precision >= 0.97 && tuned.recall >= 0.85,
    }).toEqual({ heldOut: true, all: true, tuning: true });
  });

  /**
   * The cluster query rules out a candidate at another place before scoring it when the threshold
   * is above PLACE_CONFLICT_MAX_SCORE (repeat-check.repository): right only while a place conflict
   * between two texts that both name a problem scores at most that. A migration that changes the
   * score's place factor fails here.
   */
  it('scores two texts about different places at most the bound the cluster query rules them out by', async () => {
    const { rows } = await pg.client.query<{ conflicts: number; above: number; top: number }>(
      `WITH t AS (
         SELECT ka, grievance_concepts(ka) AS ca, grievance_places(ka, a) AS pa,
                kb, grievance_concepts(kb) AS cb, grievance_places(kb, b) AS pb
         FROM jsonb_to_recordset($1::jsonb) AS p(a text, b text),
              grievance_text_key(a) AS ka, grievance_text_key(b) AS kb
       ), c AS (
         SELECT grievance_score(ka, ca, pa, kb, cb, pb) AS score FROM t
         WHERE ca && cb AND grievance_place_conflict(ka, pa, kb, pb)
       )
       SELECT count(*)::int AS conflicts,
              count(*) FILTER (WHERE score > $2::real)::int AS above,
              coalesce(max(score), 0)::float8 AS top
       FROM c`,
      [JSON.stringify(pairs), PLACE_CONFLICT_MAX_SCORE],
    );
    // The set has such pairs (another house, another place named), and the best of them reaches
    // near the bound: a factor raised above it would show.
    expect(rows[0].conflicts).toBeGreaterThan(20);
    expect(rows[0].above).toBe(0);
    expect(rows[0].top).toBeGreaterThan(0.2);
  });

  it('splits the set into two halves of both labels', () => {
    const half = pairs.filter(tuning);
    expect(half.length / pairs.length).toBeGreaterThan(0.4);
    expect(half.length / pairs.length).toBeLessThan(0.6);
    expect(new Set(half.map((p) => p.repeat))).toEqual(new Set([true, false]));
  });

  it('scores the same text at another place, or at another house number, below the threshold; "our area" is no other place', async () => {
    const { rows } = await pg.client.query<Record<string, number>>(
      `SELECT grievance_similarity('Garbage has not been collected in Aminabad for ten days',
                                   'Garbage has not been collected in Chowk for ten days') AS "otherName",
              grievance_similarity('गोमती नगर में दस दिन से कूड़ा नहीं उठाया गया है',
                                   'Vibhuti Khand mein das din se kooda nahi uthaya gaya hai') AS "otherScript",
              grievance_similarity('makan no 10, Gomti Nagar mein das din se kooda nahi uthaya gaya',
                                   'मकान नंबर 14, गोमती नगर में दस दिन से कूड़ा नहीं उठाया गया') AS "otherHouse",
              grievance_similarity('makan no 10, Gomti Nagar mein das din se kooda nahi uthaya gaya',
                                   'मकान नंबर 10, गोमती नगर में दस दिन से कूड़ा नहीं उठाया गया') AS "sameHouse",
              grievance_similarity('H.No. 66, Garbage has not been collected in Gomti Nagar for ten days',
                                   'मकान नंबर 70, गोमती नगर में दस दिन से कूड़ा नहीं उठाया गया') AS "otherEnglishHouse",
              grievance_similarity('Flat 4-B, Garbage has not been collected in Gomti Nagar for ten days',
                                   'flat no 4B, Gomti Nagar mein das din se kooda nahi uthaya gaya') AS "sameFlat",
              grievance_similarity('Garbage has not been collected in Aminabad for ten days',
                                   'hamare mohalle mein das din se kooda nahi uthaya gaya') AS "ours",
              grievance_similarity('Garbage has not been collected in Gomtinagar for ten days',
                                   'गोमती नगर में दस दिन से कूड़ा नहीं उठाया गया है') AS "oneWord",
              grievance_similarity('Garbage has not been collected in Gomti Nagar for ten days',
                                   'garbage still lying there') AS "short"`,
    );
    const r = rows[0];
    expect({
      otherName: r.otherName,
      otherScript: r.otherScript,
      otherHouse: r.otherHouse,
      otherEnglishHouse: r.otherEnglishHouse,
    }).toEqual({
      otherName: expect.any(Number) as number,
      otherScript: expect.any(Number) as number,
      otherHouse: expect.any(Number) as number,
      otherEnglishHouse: expect.any(Number) as number,
    });
    expect(Math.max(r.otherName, r.otherScript, r.otherHouse, r.otherEnglishHouse)).toBeLessThan(
      threshold,
    );
    expect(Math.min(r.sameHouse, r.sameFlat, r.oneWord, r.short, r.ours)).toBeGreaterThanOrEqual(
      threshold,
    );
  });

  it('takes no problem from a place name (Indira Nagar is not andhera, darkness)', async () => {
    const { rows } = await pg.client.query<{ concepts: string[] }>(
      `SELECT grievance_concepts(grievance_text_key('इंदिरा नगर की सड़क पर बड़े गड्ढे हैं')) AS concepts`,
    );
    expect(rows[0].concepts).toEqual(['qpothole', 'qroad']);
  });

  it('scores a text alike in Devanagari, Hinglish and English, and two problems apart', async () => {
    const { rows } = await pg.client.query<{ same: number; other: number; followUp: number }>(
      `SELECT grievance_similarity('गोमती नगर में पांच दिन से पानी नहीं आ रहा',
                                   'Gomti Nagar mein paanch din se paani nahi aa raha') AS same,
              grievance_similarity('Gomti Nagar mein paanch din se paani nahi aa raha',
                                   'Gomti Nagar mein das din se kooda nahi uthaya') AS other,
              grievance_similarity('No water supply in Gomti Nagar for five days',
                                   'अभी तक ठीक नहीं हुआ') AS "followUp"`,
    );
    expect(rows[0].same).toBeGreaterThanOrEqual(threshold);
    expect(rows[0].other).toBeLessThan(threshold);
    expect(rows[0].followUp).toBe(1);
  });
});
