// `node bench/repeats.mjs [--full] [--stored N] [--rounds R] [--seconds S]` (after `npm run build`):
// intake throughput with repeat and cluster detection on against off, in the same run, over a
// table already holding N grievances (default 20,000; `--full`: the 1,000,000, 4 rounds
// of 10 s). The stored grievances are made in SQL (bench/lib/seed-grievances.mjs; the time it
// took is printed). Two api processes (REPEAT_DETECTION=true / false) on one database, loaded in
// turn, on then off in every round (ABAB…), so drift hits both. Prints each round, the medians
// and the loss, and writes bench/results/repeats-<N>.json; no timing asserts, no docs.
import { join } from 'node:path';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  REDIS_URL,
  ROOT,
  adminUrl,
  cpuSeconds,
  benchHubEnv,
  createDatabase,
  deleteRedisPrefix,
  freePorts,
  machine,
  newPrefix,
  startHub,
} from './lib/infra.mjs';
import { intakeLoad } from './lib/load.mjs';
import { seedGrievances } from './lib/seed-grievances.mjs';

const { values } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    stored: { type: 'string' },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
  },
});
const defaults = values.full
  ? { stored: '1000000', rounds: '4', seconds: '10' }
  : { stored: '20000', rounds: '3', seconds: '3' };
for (const [k, v] of Object.entries(defaults)) values[k] ??= v;
const stored = Number(values.stored);
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const log = (...a) => process.stdout.write(`${a.join(' ')}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

const startedAt = new Date().toISOString();
const work = mkdtempSync(join(tmpdir(), 'hub-bench-repeats-'));
const db = await createDatabase(adminUrl(), 'bench_repeats');
const prefix = newPrefix('brep');
const cleanup = [];
try {
  const sql = new pg.Pool({ connectionString: db.url, max: 2 });
  cleanup.push(() => sql.end());
  const t0 = Date.now();
  await seedGrievances(sql, stored, { log: (line) => log(`${line} (${elapsed(t0)} s)`) });
  const seedSeconds = Number(elapsed(t0));
  log(`seeded ${stored} grievances in ${seedSeconds} s (load average ${loadavg()[0].toFixed(1)})`);

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
  const loads = [loadavg()[0]];
  for (let round = 0; round < rounds; round++) {
    for (const [name, hub] of [
      ['on', on],
      ['off', off],
    ]) {
      const cpu0 = cpuSeconds(hub.pid);
      const r = await intakeLoad(hub.url, { seconds });
      r.cpuMsPerRequest = ((cpuSeconds(hub.pid) - cpu0) * 1000) / Math.max(r.total, 1);
      runs[name].push(r);
      log(
        `${name.padEnd(3)} round ${round + 1}: ${r.rps.toFixed(0)} req/s p50 ${r.p50} ms p99 ${r.p99} ms, api ${r.cpuMsPerRequest.toFixed(2)} ms CPU/req, non2xx ${r.non2xx}, load average ${loadavg()[0].toFixed(1)}`,
      );
      loads.push(loadavg()[0]);
    }
  }
  const rpsOn = median(runs.on.map((r) => r.rps));
  const rpsOff = median(runs.off.map((r) => r.rps));
  const m = machine();
  const loss = 1 - rpsOn / rpsOff;
  log(
    `\nrepeat check with ${stored} stored: on ${rpsOn.toFixed(0)} req/s, off ${rpsOff.toFixed(0)} req/s, ` +
      `loss ${(100 * loss).toFixed(1)} % (median of ${rounds} × ${seconds} s, on and off in turn; ` +
      `p99 on ${median(runs.on.map((r) => r.p99))} ms, off ${median(runs.off.map((r) => r.p99))} ms; ` +
      `${m.nproc} × ${m.cpuModel}, load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)})`,
  );
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  const file = join(ROOT, 'bench', 'results', `repeats-${stored}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ startedAt, machine: m, stored, seedSeconds, rounds, seconds, rpsOn, rpsOff, loss, loads, runs }, null, 2)}\n`,
  );
  log(`wrote ${file}`);
} finally {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  await deleteRedisPrefix(REDIS_URL, prefix);
  await db.drop().catch(() => undefined);
}

function elapsed(t0) {
  return ((Date.now() - t0) / 1000).toFixed(1);
}
