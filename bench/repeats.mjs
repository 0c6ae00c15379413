// `node bench/repeats.mjs [--full] [--stored N] [--rounds R] [--seconds S] [--short-window]
//   [--keep | --database <url>]` (after `npm run build`): intake throughput with repeat and
// cluster detection on against off, in the same run, over a table already holding N grievances
// (default 20,000; `--full`: the 1,000,000, 4 rounds of 10 s). The stored grievances are
// made in SQL (bench/lib/seed-grievances.mjs; the time it took is printed); `--keep` keeps the
// database, `--database` reuses a kept one (migrated, not seeded). Two api processes
// (REPEAT_DETECTION=true / false; `--short-window`: a third, on with a 1 s cluster window) on
// one database, loaded in turn, in the same order every round (ABAB…), so drift hits all; beside
// them a worker delivers every grievance to sandbox portals and links clusters, and each round
// ends when that backlog is drained (`--no-worker`: intake alone). Prints
// each round, the medians and the loss, writes bench/results/repeats-<N>.json; no timing
// asserts, no docs.
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
  sleep,
  startHub,
  startSandboxHost,
  median,
} from './lib/infra.mjs';
import { intakeLoad } from './lib/load.mjs';
import { seedGrievances } from './lib/seed-grievances.mjs';

const { values } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    // A database this script seeded before and kept (--keep): migrated, not seeded again.
    database: { type: 'string' },
    keep: { type: 'boolean', default: false },
    // A third api, the check on with a 1 s cluster window: (almost) no cluster candidate to
    // read or score, i.e. about what intake would cost with cluster linking taken out of it.
    'short-window': { type: 'boolean', default: false },
    // Without the worker (and its sandbox portals): intake alone, as before 2026-11-26's fourth
    // session. By default a worker runs beside the apis, delivering every grievance to a sandbox
    // portal and linking clusters (the check's deferred half), and every round ends when its
    // backlog is drained, so each round's cost is its own.
    'no-worker': { type: 'boolean', default: false },
    stored: { type: 'string' },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
  },
});
const defaults = values.full
  ? { stored: '1000000', rounds: '4', seconds: '10' }
  : { stored: '20000', rounds: '3', seconds: '3' };
for (const [k, v] of Object.entries(defaults)) values[k] ??= v;
let stored = Number(values.stored);
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const log = (...a) => process.stdout.write(`${a.join(' ')}\n`);

const startedAt = new Date().toISOString();
const work = mkdtempSync(join(tmpdir(), 'hub-bench-repeats-'));
const db = values.database
  ? await reuseDatabase(values.database)
  : await createDatabase(adminUrl(), 'bench_repeats');
const prefix = newPrefix('brep');
const cleanup = [];
try {
  const sql = new pg.Pool({ connectionString: db.url, max: 2 });
  cleanup.push(() => sql.end());
  const t0 = Date.now();
  if (!values.database)
    await seedGrievances(sql, stored, { log: (line) => log(`${line} (${elapsed(t0)} s)`) });
  const seedSeconds = values.database ? null : Number(elapsed(t0));
  if (values.database) {
    const { rows } = await sql.query('SELECT count(*)::int AS n FROM complaints');
    stored = rows[0].n;
    log(`reused ${db.name}: ${stored} grievances stored`);
  } else
    log(
      `seeded ${stored} grievances in ${seedSeconds} s (load average ${loadavg()[0].toFixed(1)})`,
    );

  const withWorker = !values['no-worker'];
  const [onPort, offPort, workerPort] = await freePorts(3);
  let sandboxEnv = {};
  if (withWorker) {
    const sandboxes = await startSandboxHost({ logFile: join(work, 'sandboxes.log') });
    cleanup.push(() => sandboxes.stop());
    sandboxEnv = sandboxes.env;
  }
  const env = benchHubEnv({ databaseUrl: db.url, redisUrl: REDIS_URL, prefix, sandboxEnv });
  const readyTimeoutMs = 300_000;
  const on = await startHub({
    role: 'api',
    port: onPort,
    env,
    logFile: join(work, 'on.log'),
    readyTimeoutMs,
  });
  cleanup.push(() => on.stop());
  const off = await startHub({
    role: 'api',
    port: offPort,
    env: { ...env, REPEAT_DETECTION: 'false' },
    logFile: join(work, 'off.log'),
    readyTimeoutMs,
  });
  cleanup.push(() => off.stop());
  const targets = [
    ['on', on],
    ['off', off],
  ];
  if (values['short-window']) {
    const [shortPort] = await freePorts(1);
    const short = await startHub({
      role: 'api',
      port: shortPort,
      env: { ...env, CLUSTER_WINDOW: '1s' },
      logFile: join(work, 'on-1s.log'),
      readyTimeoutMs,
    });
    cleanup.push(() => short.stop());
    targets.splice(1, 0, ['on-1s', short]);
  }
  let worker = null;
  if (withWorker) {
    worker = await startHub({
      role: 'worker',
      port: workerPort,
      env,
      logFile: join(work, 'worker.log'),
      readyTimeoutMs,
    });
    cleanup.push(() => worker.stop());
  }
  for (const [, t] of targets) await intakeLoad(t.url, { seconds: 1, connections: 10 });
  if (worker) await drained(sql);

  const runs = Object.fromEntries(targets.map(([name]) => [name, []]));
  const loads = [loadavg()[0]];
  for (let round = 0; round < rounds; round++) {
    for (const [name, hub] of targets) {
      const cpu0 = cpuSeconds(hub.pid);
      const workerCpu0 = worker ? cpuSeconds(worker.pid) : 0;
      const wal0 = await walCounters(sql);
      const r = await intakeLoad(hub.url, { seconds });
      r.cpuMsPerRequest = ((cpuSeconds(hub.pid) - cpu0) * 1000) / Math.max(r.total, 1);
      // The server's WAL (cluster-wide: only this bench writes) and new sessions, per request.
      const wal1 = await walCounters(sql);
      r.walBytesPerRequest = (wal1.bytes - wal0.bytes) / Math.max(r.total, 1);
      r.walFullPagesPerRequest = (wal1.fpi - wal0.fpi) / Math.max(r.total, 1);
      r.newSessions = wal1.sessions - wal0.sessions;
      let workerNote = '';
      if (worker) {
        // The worker's share: delivery of the round's grievances and, with the check on, their
        // cluster links, until both backlogs are empty (counted per request the round served).
        const drainStart = Date.now();
        await drained(sql);
        r.drainSeconds = (Date.now() - drainStart) / 1000;
        r.workerCpuMsPerRequest =
          ((cpuSeconds(worker.pid) - workerCpu0) * 1000) / Math.max(r.total, 1);
        workerNote = `, worker ${r.workerCpuMsPerRequest.toFixed(2)} ms CPU/req, drained ${r.drainSeconds.toFixed(1)} s after`;
      }
      runs[name].push(r);
      log(
        `${name.padEnd(5)} round ${round + 1}: ${r.rps.toFixed(0)} req/s p50 ${r.p50} ms p99 ${r.p99} ms, api ${r.cpuMsPerRequest.toFixed(2)} ms CPU/req${workerNote}, WAL ${r.walBytesPerRequest.toFixed(0)} B/req (${r.walFullPagesPerRequest.toFixed(2)} full pages), ${r.newSessions} new sessions, non2xx ${r.non2xx}, load average ${loadavg()[0].toFixed(1)}`,
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
      `${m.nproc} × ${m.cpuModel}, load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}; ` +
      `${withWorker ? 'a worker delivering and linking beside the apis' : 'no worker'})`,
  );
  if (withWorker)
    log(
      `worker CPU per request, median: on ${median(runs.on.map((r) => r.workerCpuMsPerRequest)).toFixed(2)} ms, ` +
        `off ${median(runs.off.map((r) => r.workerCpuMsPerRequest)).toFixed(2)} ms`,
    );
  const short = runs['on-1s'];
  if (short) {
    const rpsShort = median(short.map((r) => r.rps));
    log(
      `on with a 1 s cluster window: ${rpsShort.toFixed(0)} req/s, loss ${(100 * (1 - rpsShort / rpsOff)).toFixed(1)} % against off`,
    );
  }
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  const file = join(ROOT, 'bench', 'results', `repeats-${stored}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ startedAt, machine: m, stored, seedSeconds, rounds, seconds, withWorker, rpsOn, rpsOff, loss, loads, runs }, null, 2)}\n`,
  );
  log(`wrote ${file}`);
} finally {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  await deleteRedisPrefix(REDIS_URL, prefix);
  if (values.keep || values.database) log(`kept ${db.name}`);
  else await db.drop().catch(() => undefined);
}

/** A kept bench database, brought up to this build's migrations. */
async function reuseDatabase(url) {
  const { migrate } = await import(
    join(ROOT, 'dist', 'src', 'platform', 'database', 'migrator.js')
  );
  await migrate(url);
  return { name: new URL(url).pathname.slice(1), url, drop: async () => undefined };
}

/**
 * Until no dispatch waits for delivery and no grievance for its cluster link (10 min at most: a
 * dead worker ends the run with an error instead of hanging it).
 */
async function drained(sql) {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const {
      rows: [r],
    } = await sql.query(
      `SELECT (SELECT count(*) FROM dispatches WHERE status = 'PENDING')::int AS pending,
              (SELECT count(*) FROM cluster_links)::int AS links`,
    );
    if (r.pending === 0 && r.links === 0) return;
    if (Date.now() > deadline)
      throw new Error(`worker did not drain: ${r.pending} dispatches pending, ${r.links} links`);
    await sleep(100);
  }
}

function elapsed(t0) {
  return ((Date.now() - t0) / 1000).toFixed(1);
}

/** The server's WAL written so far (bytes, full-page images) and the database's sessions. */
async function walCounters(sql) {
  const { rows } = await sql.query(`SELECT (SELECT wal_bytes FROM pg_stat_wal)::float8 AS bytes,
      (SELECT wal_fpi FROM pg_stat_wal)::float8 AS fpi,
      (SELECT sessions FROM pg_stat_database WHERE datname = current_database())::float8 AS sessions`);
  return rows[0];
}
