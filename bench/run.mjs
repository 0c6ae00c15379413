// `npm run bench` — intake vs a raw-pg floor and vs PostgreSQL's commit rate, delivery drain,
// intake → portal latency, and RSS of the api and worker processes. Every figure is set against a
// reference measured in the same run. `--quick`: seconds, for CI; no timing asserts, no docs.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  DIST_MAIN,
  ROOT,
  adminUrl,
  benchHubEnv,
  REDIS_URL,
  cpuSeconds,
  createDatabase,
  deleteRedisPrefix,
  freePorts,
  machine,
  newPrefix,
  percentile,
  sampleRss,
  startFloor,
  startHub,
  startSandboxHost,
  truncateIntake,
  waitSettled,
  median,
} from './lib/infra.mjs';
import { commitRate, intakeLoad, pacedLoad } from './lib/load.mjs';
import { rawInsertRate, statusBatches, statusIngest } from './lib/status-ingest.mjs';
import { writeReport } from './lib/report.mjs';

const quick = process.argv.includes('--quick');
const S = quick
  ? {
      seconds: 1,
      rounds: 1,
      commitSeconds: 1,
      drain: 200,
      steadyRate: 50,
      steadySeconds: 2,
      fixedRate: 100,
    }
  : {
      seconds: 10,
      rounds: 2,
      commitSeconds: 5,
      drain: 10_000,
      steadyRate: 200,
      steadySeconds: 10,
      fixedRate: 500,
    };
const log = (...a) => process.stdout.write(`${a.join(' ')}\n`);

if (!existsSync(DIST_MAIN))
  throw new Error('dist/ is missing: run `npm run build` first (npm run bench does)');

const work = mkdtempSync(join(tmpdir(), 'hub-bench-'));
const db = await createDatabase(adminUrl(), 'bench');
const prefix = newPrefix('bench');
const [apiPort, workerPort, floorPort, bareFloorPort, offPort, ...sandboxPorts] =
  await freePorts(8);
const cleanup = [];
const results = { quick, machine: machine(), settings: S, startedAt: new Date().toISOString() };

try {
  const sql = new pg.Pool({ connectionString: db.url, max: 2 });
  cleanup.push(() => sql.end());
  const truncate = () => truncateIntake(sql);

  log(`bench: ${quick ? 'quick' : 'full'} run, logs in ${work}`);
  const sandboxes = await startSandboxHost({
    ports: sandboxPorts,
    logFile: join(work, 'sandboxes.log'),
  });
  cleanup.push(() => sandboxes.stop());
  const hubEnv = benchHubEnv({
    databaseUrl: db.url,
    redisUrl: REDIS_URL,
    prefix,
    sandboxEnv: sandboxes.env,
  });
  const api = await startHub({
    role: 'api',
    port: apiPort,
    env: hubEnv,
    logFile: join(work, 'api.log'),
  });
  cleanup.push(() => api.stop());
  // The same api with repeat and cluster detection off: what the check costs intake, measured
  // in the same rounds (docs/citizen.md#repeats).
  const apiRepeatsOff = await startHub({
    role: 'api',
    port: offPort,
    env: { ...hubEnv, REPEAT_DETECTION: 'false' },
    logFile: join(work, 'api-repeats-off.log'),
  });
  cleanup.push(() => apiRepeatsOff.stop());
  // Two floors (same transaction, raw pg): the target's, a minimal handler on the hub's own stack
  // (NestJS on Express), and a bare node:http one, to show what the framework itself costs.
  const floorAt = async (script, port, what) => {
    const f = await startFloor(join(ROOT, 'bench', 'lib', script), port, db.url, { what });
    cleanup.push(f.stop);
    return f;
  };
  const floor = await floorAt('floor-nest.mjs', floorPort, 'floor (NestJS)');
  const bareFloor = await floorAt('floor-server.mjs', bareFloorPort, 'floor (node:http)');

  // 1. The database's own single-row commit rate.
  results.commit = await commitRate(db.url, { seconds: S.commitSeconds });
  log(`postgres single-row commits/s: ${results.commit.commitsPerSecond.toFixed(0)}`);

  // 2. Intake at full speed, the floors and the hubs alternated so drift hits all of them; the
  // hub three times: natively, as an Open311 server (a partner app with a limit it never
  // reaches), and natively with the repeat check off (what the check costs).
  const open311Key = `gpk_bench${randomBytes(16).toString('hex')}`;
  await sql.query(
    `INSERT INTO partner_apps (id, name, key_hash, prefix, rate_limit_per_minute, consent_declaration)
     VALUES (gen_random_uuid(), 'bench', $1, 'gpk_bench', 1000000000, 'bench')`,
    [createHash('sha256').update(open311Key).digest('hex')],
  );
  const targets = {
    floor,
    bareFloor,
    hub: { url: api.url, pid: api.pid },
    open311: { url: api.url, pid: api.pid, open311Key },
    repeatsOff: { url: apiRepeatsOff.url, pid: apiRepeatsOff.pid },
  };
  for (const t of Object.values(targets))
    await intakeLoad(t.url, { seconds: 1, connections: 10, open311Key: t.open311Key });
  const runs = { floor: [], bareFloor: [], hub: [], open311: [], repeatsOff: [] };
  const stopRss = sampleRss({ api: api.proc });
  for (let round = 0; round < S.rounds; round++) {
    for (const [name, { url, pid, open311Key: key }] of Object.entries(targets)) {
      await truncate();
      const cpu0 = cpuSeconds(pid);
      const r = await intakeLoad(url, { seconds: S.seconds, open311Key: key });
      r.cpuMsPerRequest = ((cpuSeconds(pid) - cpu0) * 1000) / Math.max(r.total, 1);
      runs[name].push(r);
      log(
        `${name.padEnd(10)} round ${round + 1}: ${r.rps.toFixed(0)} req/s p50 ${r.p50} ms p99 ${r.p99} ms, ${r.cpuMsPerRequest.toFixed(3)} ms CPU/req, non2xx ${r.non2xx} errors ${r.errors}`,
      );
    }
  }
  // 3. Latency at a fixed offered rate, evenly paced (open loop).
  await truncate();
  const fixedFloor = await pacedLoad(floor.url, { seconds: S.seconds, rate: S.fixedRate });
  await truncate();
  const fixedHub = await pacedLoad(api.url, { seconds: S.seconds, rate: S.fixedRate });
  log(
    `fixed ${S.fixedRate}/s: hub p50 ${fixedHub.p50} p99 ${fixedHub.p99} ms (${fixedHub.rps.toFixed(0)} req/s); floor p50 ${fixedFloor.p50} p99 ${fixedFloor.p99}`,
  );
  results.intake = {
    floor: summarise(runs.floor),
    bareFloor: summarise(runs.bareFloor),
    hub: summarise(runs.hub),
    open311: summarise(runs.open311),
    repeatsOff: summarise(runs.repeatsOff),
    fixedRate: S.fixedRate,
    fixed: { hub: fixedHub, floor: fixedFloor },
  };
  results.intake.ratio = results.intake.hub.rps / results.intake.floor.rps;
  results.intake.ratioToBareFloor = results.intake.hub.rps / results.intake.bareFloor.rps;
  results.intake.ratioToCommits = results.intake.hub.rps / results.commit.commitsPerSecond;
  results.intake.open311Ratio = results.intake.open311.rps / results.intake.hub.rps;
  results.intake.repeatCheckCost = 1 - results.intake.hub.rps / results.intake.repeatsOff.rps;
  log(
    `repeat check: ${results.intake.hub.rps.toFixed(0)} req/s on vs ${results.intake.repeatsOff.rps.toFixed(0)} off (${(100 * results.intake.repeatCheckCost).toFixed(1)} % less)`,
  );
  const apiPeak = stopRss();

  // 4. Delivery drain: queue N dispatches with no worker running, then start one and time it.
  await truncate();
  const lodged = await intakeLoad(api.url, { amount: S.drain, connections: 40 });
  const {
    rows: [{ n: pending }],
  } = await sql.query(`SELECT count(*)::int AS n FROM dispatches WHERE status = 'PENDING'`);
  log(`drain: ${pending} dispatches queued (${lodged.non2xx} non-2xx)`);
  const workerStart = Date.now();
  const worker = await startHub({
    role: 'worker',
    port: workerPort,
    env: hubEnv,
    logFile: join(work, 'worker.log'),
  });
  cleanup.push(() => worker.stop());
  const readyAt = Date.now();
  const stopWorkerRss = sampleRss({ worker: worker.proc, api: api.proc });
  const settled = await waitSettled(sql, {
    expected: pending,
    timeoutMs: quick ? 60_000 : 300_000,
  });
  const {
    rows: [span],
  } = await sql.query(
    `SELECT extract(epoch FROM max(delivered_at)) * 1000 AS last, count(*) FILTER (WHERE status = 'DELIVERED')::int AS delivered FROM dispatches`,
  );
  const drainMs = Number(span.last) - readyAt;
  results.drain = {
    dispatches: pending,
    delivered: span.delivered,
    settled,
    workerBootMs: readyAt - workerStart,
    seconds: drainMs / 1000,
    perSecond: span.delivered / (drainMs / 1000),
  };
  log(
    `drain: ${span.delivered}/${pending} delivered in ${(drainMs / 1000).toFixed(2)} s → ${results.drain.perSecond.toFixed(0)}/s`,
  );

  // 5. Intake → registered at the portal, at a steady rate with the worker running.
  const phaseStart = new Date();
  const steady = await pacedLoad(api.url, { seconds: S.steadySeconds, rate: S.steadyRate });
  const { rows: steadyRows } = await sql.query(
    `SELECT d.id, d.portal_code, extract(epoch FROM c.created_at) * 1000 AS lodged
     FROM dispatches d JOIN complaints c ON c.id = d.complaint_id WHERE c.created_at >= $1`,
    [phaseStart],
  );
  await waitSettled(sql, { timeoutMs: 120_000 });
  const regs = new Map();
  for (const code of Object.keys(sandboxes.urls))
    for (const r of await sandboxes.registrations(code))
      regs.set(r.clientRef, [...(regs.get(r.clientRef) ?? []), r]);
  const latencies = steadyRows
    .filter((r) => regs.has(r.id))
    .map((r) => Date.parse(regs.get(r.id)[0].receivedAt) - Number(r.lodged))
    .sort((a, b) => a - b);
  const duplicates = [...regs.values()].filter((v) => v.length > 1).length;
  results.endToEnd = {
    offeredRate: S.steadyRate,
    lodged: steadyRows.length,
    registered: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1),
    intakeP99: steady.p99,
    duplicatesAtPortals: duplicates,
  };
  log(
    `intake → portal: p50 ${results.endToEnd.p50} ms p99 ${results.endToEnd.p99} ms (${latencies.length}/${steadyRows.length} registered, ${duplicates} duplicates)`,
  );
  const workerPeak = stopWorkerRss();
  results.memory = {
    apiPeakMb: Math.max(apiPeak.api, workerPeak.api),
    workerPeakMb: workerPeak.worker,
  };
  log(
    `memory: api peak ${results.memory.apiPeakMb.toFixed(0)} MB, worker peak ${results.memory.workerPeakMb.toFixed(0)} MB`,
  );

  // 6. Status ingest: signed batched pushes for every grievance delivered to a push portal.
  const { rows: deliveredRows } = await sql.query(
    `SELECT portal_code AS "portalCode", external_ref AS "externalRef" FROM dispatches
     WHERE status = 'DELIVERED' ORDER BY delivered_at`,
  );
  const batches = statusBatches(deliveredRows);
  const stopStatusRss = sampleRss({ worker: worker.proc, api: api.proc });
  results.statusReference = await rawInsertRate(db.url, batches);
  results.status = await statusIngest(sql, api.url, batches, {
    timeoutMs: quick ? 60_000 : 300_000,
    pids: { api: api.pid, worker: worker.pid },
  });
  results.memory.duringStatus = stopStatusRss();
  results.status.ratio = results.status.appliedPerSecond / results.statusReference.rowsPerSecond;
  log(
    `status ingest: ${results.status.applied}/${results.status.events} events applied in ${results.status.appliedSeconds.toFixed(2)} s → ${results.status.appliedPerSecond.toFixed(0)}/s (stored over HTTP ${results.status.storedPerSecond.toFixed(0)}/s; raw INSERT ${results.statusReference.rowsPerSecond.toFixed(0)} rows/s) ${JSON.stringify(results.status.outcomes)}; RSS api ${results.memory.duringStatus.api.toFixed(0)} MB, worker ${results.memory.duringStatus.worker.toFixed(0)} MB; CPU/event api ${results.status.cpuMsPerEvent.api?.toFixed(3)} ms, worker ${results.status.cpuMsPerEvent.worker?.toFixed(3)} ms`,
  );

  if (!quick) {
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(
      join(ROOT, 'bench', 'results', 'latest.json'),
      `${JSON.stringify(results, null, 2)}\n`,
    );
    writeReport(results);
    log(
      'wrote docs/benchmarks.md (intake, delivery, memory sections) and bench/results/latest.json',
    );
  }
} finally {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  await deleteRedisPrefix(REDIS_URL, prefix);
  await db.drop().catch((e) => log(`could not drop ${db.name}: ${e.message}`));
}

function summarise(rs) {
  return {
    rps: median(rs.map((r) => r.rps)),
    p50: median(rs.map((r) => r.p50)),
    p99: median(rs.map((r) => r.p99)),
    cpuMsPerRequest: median(rs.map((r) => r.cpuMsPerRequest)),
    rounds: rs,
  };
}
