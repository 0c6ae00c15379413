// `npm run test:scale` (full, 10,000 grievances) or `npm run test:scale -- --quick` (CI) — the
// hub as deployed for scale: 3 api and 3 worker processes (the built dist/, production mode)
// behind a round-robin proxy, PostgreSQL through PgBouncer with a streaming replica for the
// staff reads, Redis Cluster (3 masters + 3 replicas). First the delivery throughput with 1, 2
// and 3 workers; then grievances and their status pushes while a Redis master fails over, a
// worker is SIGKILLed and an api process is restarted (SIGTERM: graceful shutdown).
// Then, as in the fault suite: lost=0 duplicated=0 stuck=0, every pushed status applied once,
// and no request the restarted api had accepted left without its answer.
// Every server is the suite's own (temporary directories, free loopback ports): the machine's
// PostgreSQL and Redis are untouched. Everything is stopped at the end, also on failure.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  DIST_MAIN,
  benchHubEnv,
  configDirWith,
  createDatabase,
  freePorts,
  machine,
  sleep,
  startHub,
  startSandboxHost,
  waitSettled,
  withDatabase,
} from '../../bench/lib/infra.mjs';
import { deliveryVerdict, lodgeAll } from '../faults/lodging.mjs';
import { checkStatuses, startStatusPushes } from '../faults/status-pushes.mjs';
import { supportModule } from '../support/load-ts.mjs';
import { startRoundRobinProxy } from './round-robin-proxy.mjs';

const { startRedisCluster } = supportModule('./redis-servers.ts');
const { startPgBouncer } = supportModule('./pgbouncer.ts');
const { startPrimaryWithReplica } = supportModule('./pg-replica.ts');

const QUICK = process.argv.includes('--quick');
const N = Number(process.env.SCALE_GRIEVANCES ?? (QUICK ? 1_000 : 10_000));
const RATE = Number(process.env.SCALE_RATE ?? (QUICK ? 100 : 150)); // offered per second
const BATCH = Number(process.env.SCALE_BATCH ?? (QUICK ? 300 : 1_000)); // per throughput round
// How long a batch may take to settle, and a hub to boot, before the run fails (not a pace).
const SETTLE_MS = Number(process.env.SCALE_SETTLE_MS ?? (QUICK ? 120_000 : 360_000));
const BOOT_MS = QUICK ? 240_000 : 600_000;
const DEADLINE_PASSED = 'Shutdown deadline passed'; // the hub's log line past SHUTDOWN_TIMEOUT
const SHUTDOWN_TIMEOUT = '25s'; // the hub's default, written out: the restart relies on it

const t0 = Date.now();
const elapsed = () => ((Date.now() - t0) / 1000).toFixed(1).padStart(6);
const log = (msg) => process.stdout.write(`[${elapsed()} s] ${msg}\n`);

if (!existsSync(DIST_MAIN))
  throw new Error('dist/ is missing: run `npm run build` first (npm run test:scale does)');

const work = mkdtempSync(join(tmpdir(), 'hub-scale-'));
const [proxyPort, ...hubPorts] = await freePorts(7);
const teardown = [];
let tearingDown = null;
let exitCode = 1;
// Interrupted (Ctrl-C, a CI time limit): every server and process started so far is stopped.
process.on('unhandledRejection', async (error) => {
  process.stdout.write(`scale suite crashed: ${error?.stack ?? error}\nlogs: ${work}\n`);
  await tearDown();
  process.exit(1);
});
for (const signal of ['SIGINT', 'SIGTERM'])
  process.once(signal, async () => {
    log(`${signal}: stopping everything`);
    await tearDown();
    process.exit(1);
  });
log(
  `scale suite (${QUICK ? 'quick' : 'full'}): throughput rounds of ${BATCH}, then ${N} grievances at ${RATE}/s under faults; logs in ${work}`,
);

try {
  const databases = await startPrimaryWithReplica();
  teardown.push(() => databases.stop());
  const db = await createDatabase(databases.primary.url(), 'scale');
  const bouncer = await startPgBouncer({ upstream: databases.primary.url(), poolSize: 20 });
  teardown.push(() => bouncer.stop());
  const cluster = await startRedisCluster({ masters: 3, replicas: 1 });
  teardown.push(() => cluster.stop());
  const sandboxes = await startSandboxHost({ logFile: join(work, 'sandboxes.log') });
  teardown.push(() => sandboxes.stop());
  log(
    `PostgreSQL primary :${databases.primary.port} + streaming replica :${databases.replica.port}, ` +
      `PgBouncer :${bouncer.port}, Redis Cluster ${cluster.ports.join(',')}, sandbox portals up`,
  );

  const prefix = 'scale';
  const env = {
    ...benchHubEnv({
      databaseUrl: bouncer.via(db.url),
      redisUrl: `redis://127.0.0.1:${cluster.ports[0]}`,
      prefix,
      sandboxEnv: sandboxes.env,
      configDir: configDirWith({
        concurrency: 16,
        ratePerSecond: 2_000,
        timeoutMs: 5_000,
        attempts: 15,
        backoffMs: 100,
        circuit: { failureThreshold: 5, openMs: 2_000 },
      }),
    }),
    DIRECT_DATABASE_URL: db.url,
    // Debian's PgBouncer 1.18 keeps no prepared statement across transactions (docs/deploying.md).
    DATABASE_PREPARED_STATEMENTS: 'false',
    ...cluster.env,
    SHUTDOWN_TIMEOUT,
  };
  const apiEnv = { DATABASE_READ_URL: withDatabase(databases.replica.url(), db.name) };

  const hubs = new Map(); // name → the running process
  const ended = []; // processes stopped or killed on purpose
  const start = async (name, role, port, extra = {}) => {
    const h = await startHub({
      role,
      port,
      env: { ...env, ...extra },
      logFile: join(work, `${name}.log`),
      readyTimeoutMs: BOOT_MS,
    });
    hubs.set(name, { ...h, name, role, port, logFile: join(work, `${name}.log`) });
    return hubs.get(name);
  };
  teardown.push(async () => {
    for (const h of hubs.values()) {
      if (h.proc.exitCode === null && h.proc.signalCode === null) h.proc.kill('SIGCONT'); // paused
      await h.stop(30_000);
    }
  });
  const [a1, a2, a3, w1, w2, w3] = hubPorts;
  // One after the other: booting is CPU-bound, and the machine may be shared.
  for (const [i, port] of [a1, a2, a3].entries()) await start(`api-${i + 1}`, 'api', port, apiEnv);
  const proxy = await startRoundRobinProxy(proxyPort, [
    { name: 'api-1', port: a1 },
    { name: 'api-2', port: a2 },
    { name: 'api-3', port: a3 },
  ]);
  teardown.push(() => proxy.close());
  log(`3 api processes behind the proxy ${proxy.url}`);

  const sql = new pg.Pool({ connectionString: db.url, max: 3 });
  sql.on('error', () => undefined);
  teardown.push(() => sql.end());
  const query = async (text, params) => (await sql.query(text, params)).rows;

  const accepted = new Map();
  const client = { refused: [], gaveUp: 0 };
  const lodge = async (options) => {
    const r = await lodgeAll(proxy.url, { log, ...options });
    for (const [k, v] of r.accepted) accepted.set(k, v);
    client.refused.push(...r.refused);
    client.gaveUp += r.gaveUp;
  };

  // Throughput: the running workers are paused (SIGSTOP) while a batch is lodged, then resumed
  // together; the time until the whole backlog is delivered gives deliveries per second.
  const throughput = [];
  const workers = [];
  for (const [i, port] of [w1, w2, w3].entries()) {
    workers.push(await start(`worker-${i + 1}`, 'worker', port));
    for (const w of workers) process.kill(w.pid, 'SIGSTOP');
    await lodge({ count: BATCH, rate: 2_000, keyPrefix: `tp${i + 1}` });
    const resumed = Date.now();
    for (const w of workers) process.kill(w.pid, 'SIGCONT');
    if (!(await waitSettled(sql, { expected: accepted.size, timeoutMs: SETTLE_MS })))
      throw new Error(`the backlog of ${BATCH} was not delivered by ${workers.length} workers`);
    const seconds = (Date.now() - resumed) / 1000;
    throughput.push({ workers: workers.length, grievances: BATCH, seconds });
    log(
      `${workers.length} worker(s): ${BATCH} delivered in ${seconds.toFixed(1)} s = ${(BATCH / seconds).toFixed(0)}/s`,
    );
  }

  // Under faults: intake and status pushes through the proxy for N / RATE seconds.
  const intakeS = N / RATE;
  const phase = Date.now();
  const at = (fraction) => sleep(Math.max(0, phase + fraction * intakeS * 1000 - Date.now()));
  const pushes = startStatusPushes(proxy.url, query, log);
  const load = lodge({ count: N, rate: RATE, keyPrefix: 'scale' });
  const restart = {};
  // Each fault at its moment of the intake; the slow parts (a failover, a process booting under
  // load) run beside the others rather than delaying them.
  const script = (async () => {
    const beside = [];
    // Awaited at the end; a failure meanwhile must not go unhandled (and skip the teardown).
    const alongside = (promise) => {
      promise.catch(() => undefined);
      beside.push(promise);
    };
    await at(0.2);
    const master = await cluster.masterOf(`${prefix}:{dispatch-UP-IGRS}:x`);
    log(`Redis master :${master} (it holds the UP-IGRS dispatch queue) SIGKILLed`);
    alongside(
      cluster.killMaster(master).then((promoted) => log(`its replica :${promoted} took over`)),
    );
    await at(0.4);
    const [{ n }] = await query(
      `SELECT count(*)::int AS n FROM dispatches WHERE in_flight_since IS NOT NULL AND status = 'PENDING'`,
    );
    log(`worker-2 SIGKILLed (${n} dispatches in flight across the workers)`);
    const killed = hubs.get('worker-2');
    await killed.kill();
    ended.push(killed);
    alongside(
      (async () => {
        await at(0.5);
        await start('worker-2b', 'worker', w2);
        log('worker-2 restarted (worker-2b)');
      })(),
    );
    await at(0.6);
    const api = hubs.get('api-2');
    restart.sigtermAt = Date.now();
    log('api-2 SIGTERM (graceful shutdown)');
    await api.stop(60_000);
    restart.exitedAt = Date.now();
    restart.exitCode = api.proc.exitCode;
    restart.logFile = api.logFile;
    ended.push(api);
    log(`api-2 exited with ${api.proc.exitCode}; starting it again`);
    await start('api-2b', 'api', a2, apiEnv);
    restart.backAt = Date.now();
    log('api-2 back (api-2b)');
    await Promise.all(beside);
  })();
  await Promise.all([load, script]);
  log(`intake done: ${accepted.size} accepted in all`);

  const deadline = Date.now() + SETTLE_MS;
  let verdict;
  for (;;) {
    verdict = await deliveryVerdict(query, sandboxes, accepted);
    if ((verdict.pending === 0 && verdict.lost === 0) || Date.now() > deadline) break;
    await sleep(2_000);
  }
  await pushes.finish();
  let statuses;
  for (;;) {
    statuses = await checkStatuses(query, pushes.pushed);
    if ((statuses.missing === 0 && statuses.unprocessed === 0) || Date.now() > deadline) break;
    await sleep(1_000);
  }
  const apiRestart = restartOutcome(proxy.stats['api-2'], restart);
  log(
    `api-2 restart: exit ${restart.exitCode}, ${apiRestart.answeredAfterSigterm} requests answered after SIGTERM, ` +
      `${apiRestart.refused} connections refused (sent to the next api), ${apiRestart.resetUnread} reset unread ` +
      `in the listen backlog (never seen by the hub; 502, retried by the client), ${apiRestart.acceptedLost} accepted and not answered`,
  );

  // Only worker-2 was killed and api-2 stopped on purpose: any other exit so far is a crash.
  const crashed = [...hubs.values()]
    .filter((h) => h.proc.exitCode !== null || h.proc.signalCode !== null)
    .filter((h) => !ended.includes(h))
    .map((h) => `${h.name}: ${h.proc.exitCode ?? h.proc.signalCode}`);
  // Then SIGTERM to everything still running, as a deployment would, and read their logs.
  const running = [...hubs.values()].filter((h) => !ended.includes(h));
  for (const h of running) await h.stop(60_000);
  const all = [...new Set([...running, hubs.get('api-2')])];
  // Past SHUTDOWN_TIMEOUT a process exits with 1 and its jobs' locks expire (docs/deploying.md).
  const overdue = running.filter((h) => logged(h, DEADLINE_PASSED)).map((h) => h.name);
  crashed.push(
    ...running
      .filter((h) => h.proc.exitCode !== 0 && !overdue.includes(h.name))
      .map((h) => `${h.name}: ${h.proc.exitCode ?? h.proc.signalCode} at SIGTERM`),
  );
  const shutdownErrors = all.flatMap((h) =>
    errorsAfterShutdownBegan(h).map((line) => `${h.name}: ${line.slice(0, 300)}`),
  );
  const otherCuts = Object.entries(proxy.stats).flatMap(([name, s]) =>
    s.cut
      .filter((c) => name !== 'api-2' || c.at < restart.sigtermAt || c.at > restart.backAt)
      .map((c) => ({ backend: name, ...c })),
  );

  const ok =
    verdict.lost === 0 &&
    verdict.duplicated === 0 &&
    verdict.stuck === 0 &&
    verdict.wrongPortal === 0 &&
    verdict.mismatched === 0 &&
    client.gaveUp === 0 &&
    client.refused.length === 0 &&
    pushes.failures === 0 &&
    statuses.missing + statuses.unprocessed + statuses.twice === 0 &&
    restart.exitCode === 0 &&
    apiRestart.drained &&
    apiRestart.acceptedLost === 0 &&
    otherCuts.length === 0 &&
    crashed.length === 0 &&
    shutdownErrors.length === 0;
  const m = machine();
  process.stdout.write(
    `\nmachine: ${m.nproc} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node} (cores shared with other work)\n` +
      `delivery throughput (backlog of ${BATCH}, same run):\n` +
      throughput
        .map(
          (t) =>
            `  ${t.workers} worker(s): ${(t.grievances / t.seconds).toFixed(0)} deliveries/s (${t.seconds.toFixed(1)} s)\n`,
        )
        .join('') +
      `\naccepted=${accepted.size} lost=${verdict.lost} duplicated=${verdict.duplicated} stuck=${verdict.stuck} ` +
      `failed=${verdict.failed} wrongPortal=${verdict.wrongPortal} mismatched=${verdict.mismatched} ` +
      `refused=${client.refused.length} gaveUp=${client.gaveUp} statusesPushed=${statuses.pushed} ` +
      `statusesLost=${statuses.missing + statuses.unprocessed} statusesAppliedTwice=${statuses.twice} ` +
      `pushRefused=${pushes.failures} apiRestartExit=${restart.exitCode} ` +
      `answeredAfterSigterm=${apiRestart.answeredAfterSigterm} refusedBeforeAccept=${apiRestart.refused} ` +
      `resetUnread=${apiRestart.resetUnread} acceptedLost=${apiRestart.acceptedLost} ` +
      `otherCuts=${otherCuts.length} crashed=${crashed.length} shutdownErrors=${shutdownErrors.length} ` +
      `shutdownOverdue=${overdue.length}${overdue.length ? ` (${overdue.join(', ')})` : ''}\n`,
  );
  if (!ok)
    process.stdout.write(
      `FAILED; samples: ${JSON.stringify({ ...verdict.samples, statuses: statuses.samples, apiRestart: apiRestart.samples, otherCuts: otherCuts.slice(0, 3), refused: client.refused.slice(0, 3), crashed, shutdownErrors: shutdownErrors.slice(0, 5) })}\nlogs: ${work}\n`,
    );
  exitCode = ok ? 0 : 1;
} catch (error) {
  process.stdout.write(`scale suite crashed: ${error.stack}\nlogs: ${work}\n`);
} finally {
  await tearDown();
}
process.exit(exitCode);

function tearDown() {
  tearingDown ??= (async () => {
    for (const step of teardown.reverse()) await step().catch(() => undefined);
  })();
  return tearingDown;
}

/**
 * What the restart did to the requests the proxy gave api-2: answered after SIGTERM (in flight
 * then), refused (the listener was closed: the proxy sent them to the next api), and cut. A cut
 * request is one whose connection was reset before an answer: it was either never read by the
 * hub (still in the kernel's listen backlog when the listener closed, which resets it) or
 * accepted and then dropped. The old process's log tells them apart: the hub logs every request
 * it read with the proxy's id (clientRequestId), also one whose client went away.
 */
function restartOutcome(stats, { sigtermAt, exitedAt, logFile }) {
  const text = readFileSync(logFile, 'utf8');
  const cut = stats.cut.filter((c) => c.at >= sigtermAt);
  const lost = cut.filter((c) => text.includes(`"clientRequestId":"${c.requestId}"`));
  return {
    answeredAfterSigterm: stats.answeredAt.filter((t) => t >= sigtermAt && t <= exitedAt).length,
    refused: stats.refused,
    resetUnread: cut.length - lost.length,
    acceptedLost: lost.length,
    drained: text.includes('HTTP closed: in-flight requests finished'),
    samples: lost.slice(0, 3),
  };
}

function logged(hub, text) {
  return readFileSync(hub.logFile, 'utf8').includes(text);
}

/**
 * Error lines (pino level ≥ 50) a process logged once its shutdown began (e.g. a relay pass on
 * a closed database pool), but the deadline's own line, counted apart.
 */
function errorsAfterShutdownBegan(hub) {
  const lines = readFileSync(hub.logFile, 'utf8').split('\n');
  const from = lines.findIndex((l) => l.includes('HTTP closed: in-flight requests finished'));
  if (from < 0) return [];
  return lines.slice(from).filter((l) => /"level":(50|60)/.test(l) && !l.includes(DEADLINE_PASSED));
}
