// `npm run test:faults` — 10,000 grievances through real PostgreSQL, Redis and sandbox portals
// while Redis is wiped, a worker is SIGKILLed mid-job, portals fail in every way and PostgreSQL
// restarts. Then: every accepted grievance registered at its portal exactly once, nothing stuck.
// Its own PostgreSQL cluster and redis-server (temp dirs, free ports): the machine's are untouched.
import { chmodSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  DIST_MAIN,
  benchHubEnv,
  configDirWith,
  createDatabase,
  freePorts,
  sleep,
  startHub,
  startSandboxHost,
} from '../../bench/lib/infra.mjs';
import { startFreezeProxy } from './freeze-proxy.mjs';
import { deliveryVerdict, lodgeAll as lodge } from './lodging.mjs';
import { checkPolledStatuses } from './polled-statuses.mjs';
import { startPortalProxy } from './portal-proxy.mjs';
import { startPostgresCluster, startRedisServer } from './services.mjs';
import { checkStatuses, startStatusPushes } from './status-pushes.mjs';

const N = Number(process.env.FAULTS_GRIEVANCES ?? 10_000);
const RATE = Number(process.env.FAULTS_RATE ?? 150); // grievances offered per second
const OUTAGE_S = Number(process.env.FAULTS_PORTAL_OUTAGE_S ?? 30);
const SETTLE_MS = Number(process.env.FAULTS_SETTLE_MS ?? 360_000);
// Worker B is frozen this long: past its 30 s BullMQ lock and the others' stalled-job check.
const FREEZE_S = Number(process.env.FAULTS_FREEZE_S ?? 75);
const t0 = Date.now();
const elapsed = () => ((Date.now() - t0) / 1000).toFixed(1).padStart(6);
const log = (msg) => process.stdout.write(`[${elapsed()} s] ${msg}\n`);
const at = (s) => sleep(Math.max(0, t0 + s * 1000 - Date.now()));

if (!existsSync(DIST_MAIN))
  throw new Error('dist/ is missing: run `npm run build` first (npm run test:faults does)');

const work = mkdtempSync(join(tmpdir(), 'hub-faults-'));
chmodSync(work, 0o755); // the PostgreSQL cluster inside runs as the postgres user when we are root
const [pgPort, redisPort, apiPort, wA, wB, wC, freezePort, ...rest] = await freePorts(13);
const [sb1, sb2, sb3, px1, px2, px3] = rest;
const teardown = [];
let exitCode = 1;
log(`fault suite: ${N} grievances at ${RATE}/s; logs and data in ${work}`);

try {
  const cluster = await startPostgresCluster(join(work, 'pg'), pgPort);
  teardown.push(() => cluster.destroy());
  const db = await createDatabase(cluster.url, 'faults');
  const redis = await startRedisServer(redisPort, join(work, 'redis.log'));
  teardown.push(() => redis.stop());
  const sandboxes = await startSandboxHost({
    ports: [sb1, sb2, sb3],
    logFile: join(work, 'sandboxes.log'),
    // CPGRAMS officers move each grievance within a few hundred ms of registration: often
    // before the hub has recorded the reference, so the poller meets references it does not know.
    officerStepMs: { CPGRAMS: 300 },
  });
  teardown.push(() => sandboxes.stop());
  const proxies = {};
  const codes = Object.keys(sandboxes.urls);
  const proxyPorts = [px1, px2, px3];
  if (proxyPorts.length < codes.length)
    proxyPorts.push(...(await freePorts(codes.length - proxyPorts.length)));
  for (const [i, code] of codes.entries()) {
    proxies[code] = await startPortalProxy(proxyPorts[i], sandboxes.urls[code]);
    teardown.push(() => proxies[code].close());
  }
  const baseUrls = Object.fromEntries(
    Object.entries(sandboxes.env).map(([name, url]) => [
      name,
      proxies[codes.find((c) => sandboxes.urls[c] === url)].url,
    ]),
  );
  const env0 = benchHubEnv({
    databaseUrl: db.url,
    redisUrl: redis.url,
    prefix: 'faults',
    sandboxEnv: baseUrls,
    configDir: configDirWith({
      concurrency: 16,
      ratePerSecond: 2_000,
      timeoutMs: 2_000,
      attempts: 15,
      backoffMs: 100,
      circuit: { failureThreshold: 5, openMs: 2_000 },
    }),
  });
  const env = { ...env0, CPGRAMS_POLL_EVERY_MS: '1000' };
  // Worker B reaches PostgreSQL through a proxy that can freeze it as it claims a dispatch.
  const freezer = await startFreezeProxy(freezePort, pgPort, 'in_flight_since = now()');
  teardown.push(() => freezer.close());
  const viaFreezer = new URL(db.url);
  viaFreezer.port = String(freezePort);
  const hubs = [];
  const hub = async (role, port, name, extra = {}) => {
    const h = await startHub({
      role,
      port,
      env: { ...env, ...extra },
      logFile: join(work, `${name}.log`),
    });
    hubs.push({ ...h, name });
    teardown.push(() => h.stop(5_000));
    return h;
  };
  const api = await hub('api', apiPort, 'api');
  const workerA = await hub('worker', wA, 'worker-a');
  const workerB = await hub('worker', wB, 'worker-b', { DATABASE_URL: viaFreezer.toString() });
  log(
    `api, two workers, ${codes.length} sandbox portals (${codes.join(', ')}; behind proxies), own PostgreSQL and Redis are up`,
  );

  const sql = new pg.Pool({ connectionString: db.url, max: 2 });
  sql.on('error', () => undefined);
  teardown.push(() => sql.end());
  const query = async (text, params) => {
    for (let i = 0; ; i++) {
      try {
        return (await sql.query(text, params)).rows;
      } catch (e) {
        if (i > 50) throw e;
        await sleep(200);
      }
    }
  };

  const lodgeAll = (url, options = {}) => lodge(url, { count: N, rate: RATE, log, ...options });
  const load = lodgeAll(api.url);
  // In parallel with the script below: the freeze outlasts several of its faults.
  // After the PostgreSQL restart, which would cut the frozen worker's connection and end its
  // attempt on its own: B must resume to the answer of the claim it sent before freezing.
  const freeze = (async () => {
    await at(60);
    log('worker B will be frozen (SIGSTOP) as it next marks a dispatch in flight');
    const frozen = freezer.freezeOnNext(workerB.pid);
    // A few more grievances, so that there is a claim to freeze on even after a short intake.
    const extra = lodgeAll(api.url, { count: 40, rate: 20, keyPrefix: 'freeze' });
    if (!(await Promise.race([frozen, sleep(60_000)])))
      throw new Error('worker B never marked a dispatch in flight to freeze on');
    log(`worker B frozen mid-statement for ${FREEZE_S} s (past its job locks)`);
    await sleep(FREEZE_S * 1000);
    process.kill(workerB.pid, 'SIGCONT');
    log('worker B resumed: its jobs went to other workers meanwhile');
    return extra;
  })();
  const pushes = startStatusPushes(api.url, query, log);
  const script = (async () => {
    await at(5);
    log('UP-IGRS answers 5xx (20 × 503, 20 × 500)');
    await sandboxes.faults('UP-IGRS', {
      next: [...Array(20).fill('http-503'), ...Array(20).fill('http-500')],
    });
    await at(10);
    log('MH-AAPLESARKAR times out after accepting (8 submits, held 3 s; the hub gives up at 2 s)');
    await sandboxes.faults('MH-AAPLESARKAR', {
      next: Array(8).fill('timeout-after-accept'),
      hangMs: 3_000,
    });
    await at(14);
    log(
      'CPGRAMS registers 15 grievances but its answers are lost: the hub must ask before re-sending',
    );
    proxies.CPGRAMS.loseAnswers(15);
    await at(18);
    log('Redis killed (no persistence: every queue and job is wiped)');
    await redis.stop();
    await at(26);
    await redis.start();
    log('Redis back, empty');
    await at(32);
    await sandboxes.faults('UP-IGRS', { latencyMs: 300 });
    await at(34);
    const [{ n }] = await query(
      `SELECT count(*)::int AS n FROM dispatches WHERE in_flight_since IS NOT NULL AND status = 'PENDING'`,
    );
    log(`SIGKILL worker A with ${n} dispatches in flight`);
    await workerA.kill();
    await at(36);
    await hub('worker', wC, 'worker-c');
    log('worker C started');
    await at(40);
    await sandboxes.faults('UP-IGRS', {});
    await at(44);
    log(`MH-AAPLESARKAR down (connection refused) for ${OUTAGE_S} s`);
    await proxies['MH-AAPLESARKAR'].down();
    await at(50);
    log('PostgreSQL stopped (immediate: every connection cut)');
    await cluster.stop();
    await at(57);
    await cluster.start();
    log('PostgreSQL back');
    await at(44 + OUTAGE_S);
    await proxies['MH-AAPLESARKAR'].up();
    log('MH-AAPLESARKAR back');
  })();
  const [lodged, , extra] = await Promise.all([load, script, freeze]);
  for (const [key, trackingId] of extra.accepted) lodged.accepted.set(key, trackingId);
  lodged.refused.push(...extra.refused);
  lodged.gaveUp += extra.gaveUp;
  log(
    `intake done: ${lodged.accepted.size} accepted, ${lodged.refused.length} refused, ${lodged.gaveUp} given up by the client`,
  );

  // Settle: nothing pending and every accepted grievance registered, or the deadline.
  const deadline = Date.now() + SETTLE_MS;
  let verdict;
  for (;;) {
    verdict = await deliveryVerdict(query, sandboxes, lodged.accepted);
    if ((verdict.pending === 0 && verdict.lost === 0) || Date.now() > deadline) break;
    await sleep(2_000);
  }
  // Statuses: push for whatever was delivered last, then wait until every pushed event is applied.
  await pushes.finish();
  let statuses;
  for (;;) {
    statuses = await checkStatuses(query, pushes.pushed);
    if ((statuses.missing === 0 && statuses.unprocessed === 0) || Date.now() > deadline) break;
    await sleep(1_000);
  }
  let polled;
  for (;;) {
    polled = await checkPolledStatuses(query, sandboxes.urls.CPGRAMS);
    if (polled.lost === 0 || Date.now() > deadline) break;
    await sleep(1_000);
  }
  log(
    `polled: ${polled.polled} CPGRAMS status changes; ${polled.waiting} still waiting for a reference, ${polled.expired} expired`,
  );
  log(
    `statuses: ${statuses.pushed} events pushed (each batch twice), ${statuses.notApplied} processed without changing the status (e.g. a mirror portal)`,
  );
  log(`proxy: ${proxies.CPGRAMS.stats.dropped} CPGRAMS answers lost on purpose`);
  // Only worker A was killed on purpose; any other exit is a crash (e.g. a connection reset).
  const crashed = hubs
    .filter(
      (h) => h.name !== 'worker-a' && (h.proc.exitCode !== null || h.proc.signalCode !== null),
    )
    .map((h) => h.name);
  const ok =
    verdict.lost === 0 &&
    verdict.duplicated === 0 &&
    verdict.stuck === 0 &&
    verdict.wrongPortal === 0 &&
    verdict.mismatched === 0 &&
    lodged.gaveUp === 0 &&
    lodged.refused.length === 0 &&
    pushes.failures === 0 &&
    statuses.missing + statuses.unprocessed + statuses.twice === 0 &&
    polled.lost === 0 &&
    crashed.length === 0;
  process.stdout.write(
    `\naccepted=${lodged.accepted.size} lost=${verdict.lost} duplicated=${verdict.duplicated} stuck=${verdict.stuck} ` +
      `failed=${verdict.failed} wrongPortal=${verdict.wrongPortal} mismatched=${verdict.mismatched} ` +
      `refused=${lodged.refused.length} gaveUp=${lodged.gaveUp} statusesPushed=${statuses.pushed} ` +
      `statusesLost=${statuses.missing + statuses.unprocessed} statusesAppliedTwice=${statuses.twice} ` +
      `pushRefused=${pushes.failures} statusesPolled=${polled.polled} polledLost=${polled.lost} ` +
      `crashed=${crashed.length}\n`,
  );
  if (!ok)
    process.stdout.write(
      `FAILED; samples: ${JSON.stringify({ ...verdict.samples, statuses: statuses.samples, polled: polled.samples, crashed })}\nlogs: ${work}\n`,
    );
  exitCode = ok ? 0 : 1;
} catch (error) {
  process.stdout.write(`fault suite crashed: ${error.stack}\nlogs: ${work}\n`);
} finally {
  for (const step of teardown.reverse()) await step().catch(() => undefined);
}
process.exit(exitCode);
