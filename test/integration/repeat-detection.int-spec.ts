import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
 * Precision and recall of intake's repeat detection on the labelled set (test/repeats), with the
 * real SQL function and the default threshold. The floors are what the detector meets today
 * (docs/benchmarks.md#repeat-detection); the target (precision 0.95 at recall 0.80) is
 * not met on precision, and this test says so rather than hiding it.
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
    ]) {
      expect(kinds).toContain(kind);
    }
  });

  it('meets precision 0.89 and recall 0.81 at the default threshold', async () => {
    const score = await scores();
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const p of pairs) {
      // Intake compares only grievances at the same pincode (and mobile, district, category).
      const hit = p.pincodeA === p.pincodeB && score.get(p.id)! >= threshold;
      if (hit && p.repeat) tp++;
      else if (hit) fp++;
      else if (p.repeat) fn++;
    }
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    expect({ precision: precision >= 0.89, recall: recall >= 0.81 }).toEqual({
      precision: true,
      recall: true,
    });
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
