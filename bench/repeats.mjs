// `node bench/repeats.mjs [--stored N] [--rounds R] [--seconds S]` (after `npm run build`):
// intake throughput with repeat and cluster detection on against off, in the same run, over a
// table already holding N grievances (default 20,000; the target is stated at
// 1,000,000). Two api processes (REPEAT_DETECTION=true / false) on one database, loaded in
// alternation so drift hits both. Prints the medians and the loss; no timing asserts.
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  REDIS_URL,
  adminUrl,
  benchHubEnv,
  createDatabase,
  deleteRedisPrefix,
  freePorts,
  machine,
  newPrefix,
  startHub,
} from './lib/infra.mjs';
import { upDistricts } from './lib/bodies.mjs';
import { intakeLoad } from './lib/load.mjs';

const { values } = parseArgs({
  options: {
    stored: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '3' },
  },
});
const stored = Number(values.stored);
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const log = (...a) => process.stdout.write(`${a.join(' ')}\n`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const work = mkdtempSync(join(tmpdir(), 'hub-bench-repeats-'));
const db = await createDatabase(adminUrl(), 'bench_repeats');
const prefix = newPrefix('brep');
const cleanup = [];
try {
  const sql = new pg.Pool({ connectionString: db.url, max: 2 });
  cleanup.push(() => sql.end());
  const t0 = Date.now();
  await seed(sql, stored);
  log(`seeded ${stored} grievances in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const [onPort, offPort] = await freePorts(2);
  const env = benchHubEnv({ databaseUrl: db.url, redisUrl: REDIS_URL, prefix, sandboxEnv: {} });
  const on = await startHub({ role: 'api', port: onPort, env, logFile: join(work, 'on.log') });
  cleanup.push(() => on.stop());
  const off = await startHub({
    role: 'api',
    port: offPort,
    env: { ...env, REPEAT_DETECTION: 'false' },
    logFile: join(work, 'off.log'),
  });
  cleanup.push(() => off.stop());
  for (const t of [on, off]) await intakeLoad(t.url, { seconds: 1, connections: 10 });

  const runs = { on: [], off: [] };
  for (let round = 0; round < rounds; round++) {
    // Alternate which goes first, so a slow patch of the machine hits both.
    const order =
      round % 2
        ? [
            ['off', off],
            ['on', on],
          ]
        : [
            ['on', on],
            ['off', off],
          ];
    for (const [name, hub] of order) {
      const r = await intakeLoad(hub.url, { seconds });
      runs[name].push(r);
      log(
        `${name.padEnd(3)} round ${round + 1}: ${r.rps.toFixed(0)} req/s p50 ${r.p50} ms p99 ${r.p99} ms non2xx ${r.non2xx}`,
      );
    }
  }
  const rpsOn = median(runs.on.map((r) => r.rps));
  const rpsOff = median(runs.off.map((r) => r.rps));
  const m = machine();
  log(
    `\nrepeat check with ${stored} stored: on ${rpsOn.toFixed(0)} req/s, off ${rpsOff.toFixed(0)} req/s, ` +
      `loss ${(100 * (1 - rpsOn / rpsOff)).toFixed(1)} % (median of ${rounds} × ${seconds} s; ` +
      `p99 on ${median(runs.on.map((r) => r.p99))} ms, off ${median(runs.off.map((r) => r.p99))} ms; ` +
      `${m.nproc} × ${m.cpuModel}, load average ${loadavg()[0].toFixed(1)})`,
  );
} finally {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  await deleteRedisPrefix(REDIS_URL, prefix);
  await db.drop().catch(() => undefined);
}

/**
 * N grievances over the last 60 days: the UP districts the load lodges into, five categories,
 * five pincodes (one of them the load's), texts from the labelled set's kinds of problem (so clusters find candidates
 * and score them), random mobiles (keyed hashes the load never repeats).
 */
async function seed(sql, n) {
  const batch = 50_000;
  for (let from = 0; from < n; from += batch) {
    await sql.query(
      `INSERT INTO complaints (id, tracking_id, access_token_hash, status, subject, description,
         category, state_code, district_code, pincode, language, mobile_lookup,
         primary_portal_code, routing_rule, created_at, updated_at, text_key)
       SELECT gen_random_uuid(), 'ONOP-SEED-' || i, md5(i::text), 'DELIVERED', s.subject,
         s.subject || ' since last month, nobody has come.',
         (ARRAY['MUNICIPAL_SERVICES','ELECTRICITY','WATER_SUPPLY','ROADS','SANITATION'])[1 + i % 5],
         '09', ($3::text[])[1 + i % cardinality($3::text[])],
         (ARRAY['226010','226024','226016','226018','226017'])[1 + (i / 5) % 5] ,
         'hi', md5('m' || i), 'UP-IGRS', 'bench', now() - (i % 60) * interval '1 day', now(),
         grievance_text_key(s.subject || ' since last month, nobody has come.')
       FROM generate_series($1::int, $2::int) AS i,
       LATERAL (SELECT (ARRAY['Streetlights not working for 3 weeks',
         'सड़क पर पानी भरा है, नाली बंद है', 'Garbage not collected in our lane for ten days',
         'Gomti Nagar mein paani ki supply nahi aa rahi', 'बिजली कटौती रोज़ आठ घंटे'])[1 + (i / 25) % 5]
         || ' (' || i || ')' AS subject) s`,
      [from + 1, Math.min(from + batch, n), upDistricts],
    );
  }
  await sql.query('ANALYZE complaints');
}
