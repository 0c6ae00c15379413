// `node bench/repeat-score.mjs [--stored N] [--reps R] [--before <migration>]`: the cluster link
// statement's cost (EXPLAIN ANALYZE) with the score's places stored (this build) against the
// previous functions (migrated up to, not including, `--before`; default 20261129020000), in
// the same run: two databases, each seeded with N grievances (bench/lib/seed-grievances.mjs;
// default 100,000) plus 300 long grievances at the probe's place (so 100 candidates are scored),
// measured in turn R times (default 7). `--compare statements`: one database of this build, the
// link statement as it was (every candidate scored, the best kept: `best`) against as it is
// (newest first, stopping at the first at or above the threshold: `first`). Needs psql on the
// PATH. Prints each measurement, the medians and the load average; no asserts, no docs.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ROOT, adminQuery, adminUrl, machine, median, withDatabase } from './lib/infra.mjs';
import { seedGrievances } from './lib/seed-grievances.mjs';
import { upDistricts } from './lib/bodies.mjs';

const { values } = parseArgs({
  options: {
    stored: { type: 'string', default: '100000' },
    reps: { type: 'string', default: '7' },
    before: { type: 'string', default: '20261129020000' },
    compare: { type: 'string', default: 'migrations' },
  },
});
const log = (...a) => process.stdout.write(`${a.join(' ')}\n`);
const PROBE =
  'House no. 17, Gomti Nagar: the streetlights on our main road have not worked for three weeks. ' +
  'The road is dark at night, women and children are afraid to walk, two scooters fell last week. '.repeat(6);

async function database(label, upTo) {
  const name = `bench_rscore_${label}_${process.pid}`;
  await adminQuery(adminUrl(), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await adminQuery(adminUrl(), `CREATE DATABASE ${name}`);
  const url = withDatabase(adminUrl(), name);
  const dir = join(ROOT, 'prisma', 'migrations');
  for (const m of readdirSync(dir).filter((d) => /^\d{14}_/.test(d)).sort()) {
    if (upTo && m >= upTo) break;
    execFileSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', join(dir, m, 'migration.sql')], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const sql = new pg.Client({ connectionString: url });
  await sql.connect();
  const t0 = Date.now();
  await seedGrievances(sql, Number(values.stored));
  const places = upTo === undefined;
  // 300 long grievances of other mobiles at the probe's place, keyed as intake/link keys them.
  await sql.query(
    `INSERT INTO complaints (id, tracking_id, access_token_hash, status, subject, description,
       category, state_code, district_code, pincode, language, mobile_lookup, primary_portal_code,
       routing_rule, created_at, updated_at, text_key, concepts ${places ? ', places' : ''})
     SELECT gen_random_uuid(), 'ONOP-LOAD-' || i, md5(i::text), 'DELIVERED', 'Streetlights ' || i,
       t, 'MUNICIPAL_SERVICES', '09', $2, '226010', 'en', md5('load' || i), 'UP-IGRS', 'bench',
       now() - i * interval '1 minute', now(), k, grievance_concepts(k)
       ${places ? ', grievance_places(k, t)' : ''}
     FROM generate_series(1, 300) AS i,
       LATERAL (SELECT 'House no. ' || (i % 40) || ', ' || $1 || ' (' || i || ')' AS t) x,
       LATERAL grievance_text_key('Streetlights ' || i || ' ' || x.t) AS k`,
    [PROBE, upDistricts[0]],
  );
  await sql.query('ANALYZE complaints');
  log(`${label}: ${name} migrated${upTo ? ` before ${upTo}` : ''}, seeded in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return { sql, places, drop: () => adminQuery(adminUrl(), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** The cluster link statement (repeat-check.repository LINK), as each version writes it. */
function link(places) {
  const key = `coalesce(c.text_key, grievance_text_key(c.subject || ' ' || c.description))`;
  const concepts = `CASE WHEN c.text_key IS NULL THEN grievance_concepts(${key}) ELSE c.concepts END`;
  const placesOf = `CASE WHEN c.places = '{?}' THEN grievance_places(${key}, c.subject || ' ' || c.description) ELSE c.places END`;
  const score = places
    ? `grievance_score(r.key, r.concepts, r.places, probe.key, probe.concepts, probe.places)`
    : `grievance_score(r.key, r.concepts, probe.key, probe.concepts)`;
  return `EXPLAIN (ANALYZE, FORMAT JSON)
  WITH probe AS (SELECT k AS key, grievance_concepts(k) AS concepts
      ${places ? `, grievance_places(k, $1::text) AS places` : ''}
    FROM grievance_text_key($1::text) AS k
  ), other_mobiles AS MATERIALIZED (SELECT r.*, ${score} AS score FROM (
    SELECT c.id, c.cluster_id, c.created_at, ${key} AS key, ${concepts} AS concepts
      ${places ? `, ${placesOf} AS places` : ''}
    FROM complaints c, probe
    WHERE c.district_code = $2 AND c.state_code = '09' AND c.category = 'MUNICIPAL_SERVICES'
      AND c.pincode = '226010' AND c.created_at > now() - interval '30 days'
      AND c.mobile_lookup IS DISTINCT FROM 'probe' AND ${concepts} && probe.concepts
    ORDER BY c.created_at DESC LIMIT 100) r, probe)
  SELECT id, cluster_id FROM other_mobiles WHERE score >= 0.35 ORDER BY score DESC, created_at DESC LIMIT 1`;
}

/** The link statement as this build writes it: newest first, the first at or above 0.35. */
function linkFirst() {
  const best = link(true);
  const from = best.indexOf('SELECT c.id');
  const to = best.indexOf(') r, probe)');
  return `EXPLAIN (ANALYZE, FORMAT JSON)
  WITH probe AS (SELECT k AS key, grievance_concepts(k) AS concepts, grievance_places(k, $1::text) AS places
    FROM grievance_text_key($1::text) AS k)
  SELECT r.id, r.cluster_id FROM (${best.slice(from, to)}) r, probe
  WHERE grievance_score(r.key, r.concepts, r.places, probe.key, probe.concepts, probe.places) >= 0.35
  ORDER BY r.created_at DESC LIMIT 1`;
}

const statements = values.compare === 'statements';
const after = await database('after', undefined);
const before = statements ? after : await database('before', values.before);
const variants = statements
  ? [['best', after, link(true)], ['first', after, linkFirst()]]
  : [['before', before, link(before.places)], ['after', after, link(after.places)]];
const ms = Object.fromEntries(variants.map(([label]) => [label, []]));
const loads = [];
try {
  for (let r = 0; r < Number(values.reps); r++) {
    for (const [label, db, text] of variants) {
      const { rows } = await db.sql.query(text, [PROBE, upDistricts[0]]);
      const plan = rows[0]['QUERY PLAN'][0];
      ms[label].push(plan['Execution Time']);
      log(`${label} rep ${r + 1}: ${plan['Execution Time'].toFixed(1)} ms execution, ${plan['Planning Time'].toFixed(1)} ms planning`);
    }
    loads.push(loadavg()[0]);
  }
  log(JSON.stringify({ machine: machine(), stored: Number(values.stored),
    medianMs: Object.fromEntries(Object.entries(ms).map(([label, v]) => [label, median(v)])),
    loadAverage1m: { min: Math.min(...loads), max: Math.max(...loads) } }));
} finally {
  await after.sql.end();
  await after.drop();
  if (!statements) {
    await before.sql.end();
    await before.drop();
  }
}
