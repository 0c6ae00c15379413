// `node bench/intake-ab.mjs [--before <dist>] [--rounds R] [--seconds S] [--paced-seconds P]
//   [--repeats-off] [--floor name=script]... [--no-nest-express]` — intake only, every variant in
// the same run: the bare node:http floor, the NestJS floor, this build's api and (with --before)
// an older build's api (`npx tsc -p tsconfig.build.json --outDir .bench-before/dist` on the
// older commit, then `--before .bench-before/dist`). Each round runs every target once, the
// order rotated every round (A B C, B C A, C A B: give a multiple of the targets' count as
// rounds); each target first gets a second of load (connections and plans warm), a truncate, a
// wait for the machine to be quiet (the target before it and PostgreSQL done with their load),
// then S seconds at 40 keep-alive connections (`--connections N`: a few leave the machine idle
// between requests, so CPU per request is less inflated by waiting for a core on a busy host). CPU per request is the server process's user +
// system time (/proc) over requests served, beside PostgreSQL's (every postgres process), this
// load generator's and the whole machine's busy time per request. Then each target once at
// 500 req/s evenly paced (open loop), in alternating order, for p50/p99. `--repeats-off` adds
// each hub with REPEAT_DETECTION=false. `--floor name=script` adds another floor (a `<port>
// <databaseUrl>` script), `--no-nest-express` leaves out the NestJS floor on Express.
// `--paced a,b` and `--paced-rounds N` choose the paced phase's targets and rounds.
// Prints progress on stderr, JSON on stdout; no docs. Stop it with SIGTERM (cleans up).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  REDIS_URL,
  ROOT,
  adminUrl,
  beforeAndAfter,
  benchHubEnv,
  cpuSeconds,
  createDatabase,
  machineBusySeconds,
  postgresCpuSeconds,
  waitQuiet,
  deleteRedisPrefix,
  freePorts,
  machine,
  newPrefix,
  startFloor,
  startHub,
  truncateIntake,
  median,
} from './lib/infra.mjs';
import { intakeLoad, pacedLoad } from './lib/load.mjs';

const { values } = parseArgs({
  options: {
    before: { type: 'string' },
    rounds: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '8' },
    'paced-seconds': { type: 'string', default: '10' },
    rate: { type: 'string', default: '500' },
    'repeats-off': { type: 'boolean', default: false },
    floor: { type: 'string', multiple: true, default: [] },
    // Leave out the NestJS floor on Express (a reference the hub no longer runs on).
    'no-nest-express': { type: 'boolean', default: false },
    // Comma-separated targets for the paced phase (default: all but the repeatsOff variants).
    paced: { type: 'string' },
    'paced-rounds': { type: 'string', default: '2' },
    connections: { type: 'string', default: '40' },
  },
});
const rounds = Number(values.rounds);
if (!Number.isInteger(Number(values.connections)) || Number(values.connections) < 1)
  throw new Error('--connections must be a whole number ≥ 1');
const seconds = Number(values.seconds);
const log = (...a) => process.stderr.write(`${a.join(' ')}\n`);

let stopping = false;
process.once('SIGTERM', () => {
  stopping = true;
});
const work = mkdtempSync(join(tmpdir(), 'hub-intake-ab-'));
const db = await createDatabase(adminUrl(), 'bench');
const cleanup = [];
const results = { machine: machine(), args: values, startedAt: new Date().toISOString() };
try {
  const sql = new pg.Pool({ connectionString: db.url, max: 2 });
  // The database is dropped WITH (FORCE) at the end: a connection of this pool still closing
  // then is terminated, which is no failure of the run (it crashed the script after its output).
  let ending = false;
  sql.on('error', (error) => {
    if (!ending) throw error;
  });
  cleanup.push(() => {
    ending = true;
    return sql.end();
  });
  const targets = {};
  const floorAt = async (name, script) => {
    const [port] = await freePorts(1);
    const f = await startFloor(script, port, db.url, {
      what: name,
      timeoutMs: 240_000,
      cwd: dirname(script),
    });
    cleanup.push(f.stop);
    targets[name] = { url: f.url, pid: f.pid };
  };
  await floorAt('bare', join(ROOT, 'bench', 'lib', 'floor-server.mjs'));
  if (!values['no-nest-express'])
    await floorAt('nestFloor', join(ROOT, 'bench', 'lib', 'floor-nest.mjs'));
  for (const f of values.floor) {
    const [name, script] = f.split('=');
    await floorAt(name, resolve(script));
  }
  for (const { name, main } of beforeAndAfter(values.before))
    for (const repeats of values['repeats-off'] ? [true, false] : [true]) {
      const prefix = newPrefix('iab');
      cleanup.push(() => deleteRedisPrefix(REDIS_URL, prefix));
      const [port] = await freePorts(1);
      const label = repeats ? name : `${name}-repeatsOff`;
      const hub = await startHub({
        role: 'api',
        port,
        main,
        env: {
          ...benchHubEnv({ databaseUrl: db.url, redisUrl: REDIS_URL, prefix }),
          ...(repeats ? {} : { REPEAT_DETECTION: 'false' }),
        },
        logFile: join(work, `${label}.log`),
        readyTimeoutMs: 240_000,
      });
      cleanup.push(() => hub.stop());
      targets[label] = { url: hub.url, pid: hub.pid };
    }
  const names = Object.keys(targets);
  for (const t of Object.values(targets)) await intakeLoad(t.url, { seconds: 2, connections: 10 });
  const runs = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round++) {
    // Each target takes each place in the order in turn (a Latin square): what the place costs
    // (the target before it, the machine warming) falls on every target alike. Reversing the
    // order every other round did not: the middle target always followed another.
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) {
      if (stopping) break;
      const { url, pid } = targets[name];
      // Warm again: a target idle for longer than its pool's idle timeout (10 s, while the others
      // ran) starts with new database connections, whose start-up and first plans would cost the
      // round's first seconds.
      await intakeLoad(url, { seconds: 1 });
      await truncateIntake(sql);
      // Not while the last target's process or PostgreSQL still work off its load.
      const quietShare = await waitQuiet();
      const cpu0 = cpuSeconds(pid);
      const db0 = postgresCpuSeconds();
      const self0 = process.cpuUsage();
      const busy0 = machineBusySeconds();
      const r = await intakeLoad(url, { seconds, connections: Number(values.connections) });
      r.quietShare = quietShare;
      const perRequest = (s) => (s * 1000) / Math.max(r.total, 1);
      r.cpuMsPerRequest = perRequest(cpuSeconds(pid) - cpu0);
      // Where the rest of the two cores went: PostgreSQL, this load generator, the whole machine.
      r.dbCpuMsPerRequest = perRequest(postgresCpuSeconds() - db0);
      const self = process.cpuUsage(self0);
      r.clientCpuMsPerRequest = perRequest((self.user + self.system) / 1e6);
      r.machineCpuMsPerRequest = perRequest(machineBusySeconds() - busy0);
      runs[name].push(r);
      log(
        `${name.padEnd(20)} round ${round + 1}: ${r.rps.toFixed(0)} req/s p99 ${r.p99} ms, CPU/req ms: server ${r.cpuMsPerRequest.toFixed(3)} db ${r.dbCpuMsPerRequest.toFixed(3)} client ${r.clientCpuMsPerRequest.toFixed(3)} machine ${r.machineCpuMsPerRequest.toFixed(3)}, non2xx ${r.non2xx} errors ${r.errors}`,
      );
    }
  }
  const paced = Object.fromEntries(names.map((n) => [n, []]));
  const rate = Number(values.rate);
  const pacedNames = values.paced
    ? values.paced.split(',')
    : names.filter((n) => !n.endsWith('repeatsOff'));
  for (let round = 0; round < Number(values['paced-rounds']); round++) {
    const order = round % 2 ? [...pacedNames].reverse() : pacedNames;
    for (const name of order) {
      if (stopping) break;
      await truncateIntake(sql);
      const { pid } = targets[name];
      const cpu0 = cpuSeconds(pid);
      const r = await pacedLoad(targets[name].url, {
        rate,
        seconds: Number(values['paced-seconds']),
      });
      r.cpuMsPerRequest = ((cpuSeconds(pid) - cpu0) * 1000) / Math.max(r.total ?? 1, 1);
      paced[name].push(r);
      log(
        `${name.padEnd(20)} paced ${rate}/s round ${round + 1}: p50 ${r.p50} ms p99 ${r.p99} ms (${r.rps?.toFixed(0)} req/s served, non2xx ${r.non2xx})`,
      );
    }
  }
  results.targets = Object.fromEntries(
    names.map((n) => [
      n,
      {
        rps: runs[n].map((r) => Math.round(r.rps)),
        cpuMsPerRequest: runs[n].map((r) => Number(r.cpuMsPerRequest.toFixed(3))),
        p99: runs[n].map((r) => r.p99),
        medianRps: median(runs[n].map((r) => r.rps)),
        medianCpuMs: median(runs[n].map((r) => r.cpuMsPerRequest)),
        medianDbCpuMs: median(runs[n].map((r) => r.dbCpuMsPerRequest)),
        medianClientCpuMs: median(runs[n].map((r) => r.clientCpuMsPerRequest)),
        medianMachineCpuMs: median(runs[n].map((r) => r.machineCpuMsPerRequest)),
        paced: paced[n].map((r) => ({ p50: r.p50, p99: r.p99, rps: r.rps })),
      },
    ]),
  );
  for (const n of names)
    results.targets[n].ratioToBare = results.targets[n].medianRps / results.targets.bare.medianRps;
  results.finishedAt = new Date().toISOString();
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
} finally {
  for (const f of cleanup.reverse()) await f().catch(() => {});
  await db.drop();
}
