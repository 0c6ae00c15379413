// `node bench/ab.mjs --before <checkout> [--rounds R] [--seconds S] [--drain N]` — a same-run
// A/B of two builds: intake (native JSON), delivery drain and status ingest, each part measured
// for the other build (a checkout with its own `npm run build`, e.g. a `git worktree` of an older
// commit) and this checkout alternately, round by round, the order flipped every round, so the
// machine's other load hits both sides. Each build gets its own database (migrated by its own
// migrator), its own config/ (an older build refuses adapter kinds and keys it does not know),
// its own Redis prefix; one sandbox host serves both. This checkout's build runs with
// REPEAT_DETECTION=false (the check the other build lacks) and, for intake only, once more with
// it on ("after+repeats"). Prints progress on stderr, JSON on stdout; no docs.
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import YAML from 'yaml';
import {
  DIST_MAIN,
  REDIS_URL,
  ROOT,
  adminQuery,
  adminUrl,
  benchHubEnv,
  cpuSeconds,
  deleteRedisPrefix,
  freePorts,
  machine,
  newPrefix,
  startHub,
  startSandboxHost,
  waitSettled,
  withDatabase,
} from './lib/infra.mjs';
import { intakeLoad } from './lib/load.mjs';
import { statusBatches, statusIngest } from './lib/status-ingest.mjs';

const { values } = parseArgs({
  options: {
    before: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '5' },
    drain: { type: 'string', default: '600' },
    // One more intake target: this build with no portal's monthly cap (one query less per
    // request), to see what that query costs.
    'no-cap': { type: 'boolean', default: false },
    // Drain and status only, with no second api on the after build's Redis prefix: since the api
    // role consumes notifications too (docs/benchmarks.md#issue-13-beforeafter-same-run), every
    // extra api there takes part of the after build's notification work.
    'no-intake': { type: 'boolean', default: false },
  },
});
if (!values.before) throw new Error('--before <checkout with a build> is required');
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const drainSize = Number(values.drain);
const log = (...a) => process.stderr.write(`${a.join(' ')}\n`);
const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return null;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const r3 = (x) => (x === null ? null : Math.round(x * 1000) / 1000);
const work = mkdtempSync(join(tmpdir(), 'hub-ab-'));

/**
 * A build's own config/ with the benchmark delivery settings. For this checkout, the Lucknow rule
 * (to the LKO-NN Open311 portal, new since the other build) is dropped, so both builds route the
 * same grievances to the same three portals and the comparison is of the code, not the routing.
 */
function configFor(root, { dropRules = [], noCap = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'hub-ab-config-'));
  for (const f of readdirSync(join(root, 'config')))
    copyFileSync(join(root, 'config', f), join(dir, f));
  const portals = YAML.parse(readFileSync(join(dir, 'portals.yaml'), 'utf8'));
  for (const p of portals.portals) {
    p.delivery = {
      ...(p.delivery ?? {}),
      concurrency: 50,
      ratePerSecond: 100_000,
      timeoutMs: 5_000,
    };
    if (noCap) delete p.monthlyCapPerMobile;
  }
  writeFileSync(join(dir, 'portals.yaml'), YAML.stringify(portals));
  if (dropRules.length) {
    const routing = YAML.parse(readFileSync(join(dir, 'routing.yaml'), 'utf8'));
    routing.rules = routing.rules.filter((r) => !dropRules.includes(r.name));
    writeFileSync(join(dir, 'routing.yaml'), YAML.stringify(routing));
  }
  return dir;
}

/** A private database migrated by the build's own migrator and migrations. */
async function databaseFor(root, tag) {
  const name = `bench_ab_${tag}_${Math.random().toString(16).slice(2, 10)}`;
  await adminQuery(adminUrl(), `CREATE DATABASE ${name}`);
  const url = withDatabase(adminUrl(), name);
  const { migrate, readMigrations } = await import(
    join(root, 'dist', 'src', 'platform', 'database', 'migrator.js')
  );
  await migrate(url, readMigrations(join(root, 'prisma', 'migrations')));
  return {
    name,
    url,
    drop: () => adminQuery(adminUrl(), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** Empties what a round writes, whichever of these tables the build's schema has. */
async function truncate(sql) {
  const wanted = [
    'complaints',
    'dispatches',
    'status_events',
    'idempotency_keys',
    'outbox',
    'inbound_events',
    'notifications',
  ];
  const { rows } = await sql.query(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY($1)`,
    [wanted],
  );
  // The api's own background statements (the relay's ticks) can deadlock with TRUNCATE's locks:
  // a deadlock aborts one side, and a retry is then alone.
  for (let attempt = 1; ; attempt++) {
    try {
      await sql.query(`TRUNCATE ${rows.map((r) => r.tablename).join(', ')} CASCADE`);
      return;
    } catch (e) {
      if (e.code !== '40P01' || attempt === 5) throw e;
    }
  }
}

const beforeRoot = resolve(values.before);
const variants = [
  { name: 'before', root: beforeRoot, main: join(beforeRoot, 'dist', 'src', 'main.js'), env: {} },
  {
    name: 'after',
    root: ROOT,
    main: DIST_MAIN,
    env: { REPEAT_DETECTION: 'false' },
    dropRules: ['lucknow-municipal'],
  },
];
const cleanup = [];
const out = { machine: machine(), at: new Date().toISOString(), rounds, seconds, drainSize };
try {
  const sandboxes = await startSandboxHost({ logFile: join(work, 'sandboxes.log') });
  cleanup.push(() => sandboxes.stop());
  for (const v of variants) {
    v.db = await databaseFor(v.root, v.name);
    cleanup.push(() => v.db.drop());
    v.prefix = newPrefix(`bench-ab-${v.name}`);
    cleanup.push(() => deleteRedisPrefix(REDIS_URL, v.prefix));
    v.hubEnv = {
      ...benchHubEnv({
        databaseUrl: v.db.url,
        redisUrl: REDIS_URL,
        prefix: v.prefix,
        sandboxEnv: sandboxes.env,
        configDir: configFor(v.root, { dropRules: v.dropRules }),
      }),
      ...v.env,
    };
    v.sql = new pg.Pool({ connectionString: v.db.url, max: 2 });
    cleanup.push(() => v.sql.end());
    const [port, workerPort] = await freePorts(2);
    v.workerPort = workerPort;
    v.api = await startHub({
      role: 'api',
      port,
      env: v.hubEnv,
      main: v.main,
      cwd: v.root,
      logFile: join(work, `${v.name}-api.log`),
    });
    cleanup.push(() => v.api.stop());
  }
  // The same after build with the repeat check on (its default), on the after database.
  const after = variants[1];
  const intake = {};
  if (!values['no-intake']) {
    const [onPort] = await freePorts(1);
    const { REPEAT_DETECTION: _off, ...onEnv } = after.hubEnv;
    const apiRepeatsOn = await startHub({
      role: 'api',
      port: onPort,
      env: onEnv,
      main: after.main,
      cwd: after.root,
      logFile: join(work, 'after-repeats-api.log'),
    });
    cleanup.push(() => apiRepeatsOn.stop());
    let apiNoCap = null;
    if (values['no-cap']) {
      const [noCapPort] = await freePorts(1);
      apiNoCap = await startHub({
        role: 'api',
        port: noCapPort,
        env: {
          ...after.hubEnv,
          HUB_CONFIG_DIR: configFor(after.root, { dropRules: after.dropRules, noCap: true }),
        },
        main: after.main,
        cwd: after.root,
        logFile: join(work, 'after-nocap-api.log'),
      });
      cleanup.push(() => apiNoCap.stop());
    }

    // 1. Intake at full speed (40 connections), native JSON.
    const targets = [
      { name: 'before', api: variants[0].api, sql: variants[0].sql },
      { name: 'after', api: after.api, sql: after.sql },
      { name: 'after+repeats', api: apiRepeatsOn, sql: after.sql },
      ...(apiNoCap ? [{ name: 'after-cap', api: apiNoCap, sql: after.sql }] : []),
    ];
    // Warm-up (JIT, pools): a first round ran slower for every target without it.
    for (const t of targets) await intakeLoad(t.api.url, { seconds: 3 });
    for (const t of targets) intake[t.name] = [];
    for (let round = 0; round < rounds; round++)
      for (const t of round % 2 ? [...targets].reverse() : targets) {
        await truncate(t.sql);
        const cpu0 = cpuSeconds(t.api.pid);
        const r = await intakeLoad(t.api.url, { seconds });
        r.cpuMsPerRequest = ((cpuSeconds(t.api.pid) - cpu0) * 1000) / Math.max(r.total, 1);
        intake[t.name].push(r);
        log(
          `intake ${t.name.padEnd(13)} round ${round + 1}: ${r.rps.toFixed(0)} req/s p50 ${r.p50} p99 ${r.p99} ms, ${r.cpuMsPerRequest.toFixed(3)} ms CPU/req, non2xx ${r.non2xx} errors ${r.errors}`,
        );
      }
  }

  // 2. Delivery drain (N lodged, no worker; then one worker) and 3. status ingest (two signed
  // pushed events per grievance delivered to a push portal), per build, alternating.
  const drain = { before: [], after: [] };
  const status = { before: [], after: [] };
  for (let round = 0; round < rounds; round++)
    for (const v of round % 2 ? [...variants].reverse() : variants) {
      await truncate(v.sql);
      const lodged = await intakeLoad(v.api.url, { amount: drainSize, connections: 40 });
      const {
        rows: [{ n: pending }],
      } = await v.sql.query(`SELECT count(*)::int AS n FROM dispatches WHERE status = 'PENDING'`);
      const workerStart = Date.now();
      const worker = await startHub({
        role: 'worker',
        port: v.workerPort,
        env: v.hubEnv,
        main: v.main,
        cwd: v.root,
        logFile: join(work, `${v.name}-worker.log`),
      });
      try {
        const readyAt = Date.now();
        const wCpu0 = cpuSeconds(worker.pid);
        const settled = await waitSettled(v.sql, { expected: pending, timeoutMs: 120_000 });
        const wCpu1 = cpuSeconds(worker.pid);
        const {
          rows: [span],
        } = await v.sql.query(
          `SELECT extract(epoch FROM max(delivered_at)) * 1000 AS last,
                  count(*) FILTER (WHERE status = 'DELIVERED')::int AS delivered FROM dispatches`,
        );
        const d = {
          lodged: lodged.total,
          lodgeNon2xx: lodged.non2xx,
          dispatches: pending,
          delivered: span.delivered,
          settled,
          workerBootMs: readyAt - workerStart,
          seconds: (Number(span.last) - readyAt) / 1000,
          perSecond: span.delivered / ((Number(span.last) - readyAt) / 1000),
          perSecondFromSpawn: span.delivered / ((Number(span.last) - workerStart) / 1000),
          workerCpuMsPerDispatch: ((wCpu1 - wCpu0) * 1000) / Math.max(span.delivered, 1),
        };
        drain[v.name].push(d);
        log(
          `drain  ${v.name.padEnd(6)} round ${round + 1}: ${d.delivered}/${d.dispatches} in ${d.seconds.toFixed(2)} s → ${d.perSecond.toFixed(0)}/s (${d.perSecondFromSpawn.toFixed(0)}/s from spawn, boot ${d.workerBootMs} ms), worker ${d.workerCpuMsPerDispatch.toFixed(3)} ms CPU/dispatch`,
        );

        const { rows: delivered } = await v.sql.query(
          `SELECT portal_code AS "portalCode", external_ref AS "externalRef" FROM dispatches
           WHERE status = 'DELIVERED' ORDER BY delivered_at`,
        );
        const s = await statusIngest(v.sql, v.api.url, statusBatches(delivered), {
          timeoutMs: 120_000,
          pids: { api: v.api.pid, worker: worker.pid },
        });
        status[v.name].push(s);
        log(
          `status ${v.name.padEnd(6)} round ${round + 1}: ${s.applied}/${s.events} applied in ${s.appliedSeconds.toFixed(2)} s → ${s.appliedPerSecond.toFixed(0)}/s (stored ${s.storedPerSecond.toFixed(0)}/s) CPU/event api ${s.cpuMsPerEvent.api.toFixed(3)} worker ${s.cpuMsPerEvent.worker.toFixed(3)} ms ${JSON.stringify(s.outcomes)} ${JSON.stringify(s.httpStatuses)}`,
        );
      } finally {
        await worker.stop();
      }
    }

  const summary = {
    intake: Object.fromEntries(
      Object.entries(intake).map(([k, rs]) => [
        k,
        {
          rps: r3(median(rs.map((r) => r.rps))),
          p50: median(rs.map((r) => r.p50)),
          p99: median(rs.map((r) => r.p99)),
          cpuMsPerRequest: r3(median(rs.map((r) => r.cpuMsPerRequest))),
        },
      ]),
    ),
    drain: Object.fromEntries(
      Object.entries(drain).map(([k, rs]) => [
        k,
        {
          perSecond: r3(median(rs.map((r) => r.perSecond))),
          perSecondFromSpawn: r3(median(rs.map((r) => r.perSecondFromSpawn))),
          workerCpuMsPerDispatch: r3(median(rs.map((r) => r.workerCpuMsPerDispatch))),
          workerBootMs: median(rs.map((r) => r.workerBootMs)),
        },
      ]),
    ),
    status: Object.fromEntries(
      Object.entries(status).map(([k, rs]) => [
        k,
        {
          appliedPerSecond: r3(median(rs.map((r) => r.appliedPerSecond))),
          storedPerSecond: r3(median(rs.map((r) => r.storedPerSecond))),
          apiCpuMsPerEvent: r3(median(rs.map((r) => r.cpuMsPerEvent.api))),
          workerCpuMsPerEvent: r3(median(rs.map((r) => r.cpuMsPerEvent.worker))),
        },
      ]),
    ),
  };
  Object.assign(out, { summary, runs: { intake, drain, status } });
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  log(`logs in ${work}`);
} finally {
  for (const step of cleanup.reverse()) await step().catch((e) => log(`cleanup: ${e.message}`));
}
