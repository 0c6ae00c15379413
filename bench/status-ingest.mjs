// `node bench/status-ingest.mjs [--grievances N] [--rounds R] [--before <dist dir>]` — status
// ingest on its own: lodge N grievances, let them be delivered, then push two signed status
// events for each (batches of ≤ 500) and time until the worker applied them all, with CPU per
// event of the api and the worker. With `--before`, a second build (e.g. the previous commit
// compiled to another directory) is measured alternately in the same run: an A/B that the
// machine's other load hits on both sides. Needs `npm run build` first. Prints JSON; no docs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  beforeAndAfter,
  adminUrl,
  benchHubEnv,
  REDIS_URL,
  createDatabase,
  deleteRedisPrefix,
  freePorts,
  machine,
  newPrefix,
  sampleRss,
  startHub,
  startSandboxHost,
  waitSettled,
} from './lib/infra.mjs';
import { intakeLoad } from './lib/load.mjs';
import { rawInsertRate, statusBatches, statusIngest } from './lib/status-ingest.mjs';

const { values } = parseArgs({
  options: {
    grievances: { type: 'string', default: '6000' },
    rounds: { type: 'string', default: '1' },
    before: { type: 'string' },
  },
});
const grievances = Number(values.grievances);
const rounds = Number(values.rounds);
const variants = beforeAndAfter(values.before);
const log = (...a) => process.stderr.write(`${a.join(' ')}\n`);
const work = mkdtempSync(join(tmpdir(), 'hub-status-bench-'));

async function measure(variant) {
  const db = await createDatabase(adminUrl(), 'bench_status', variant.dist);
  const prefix = newPrefix('bench-status');
  const [apiPort, workerPort, ...sandboxPorts] = await freePorts(5);
  const stops = [];
  try {
    const sandboxes = await startSandboxHost({
      ports: sandboxPorts,
      logFile: join(work, 'sandboxes.log'),
    });
    stops.push(() => sandboxes.stop());
    const env = benchHubEnv({
      databaseUrl: db.url,
      redisUrl: REDIS_URL,
      prefix,
      sandboxEnv: sandboxes.env,
    });
    const start = (role, port) =>
      startHub({
        role,
        port,
        env,
        main: variant.main,
        logFile: join(work, `${variant.name}-${role}.log`),
      });
    const api = await start('api', apiPort);
    stops.push(() => api.stop());
    const worker = await start('worker', workerPort);
    stops.push(() => worker.stop());
    const sql = new pg.Pool({ connectionString: db.url, max: 2 });
    stops.push(() => sql.end());

    await intakeLoad(api.url, { amount: grievances, connections: 40 });
    if (!(await waitSettled(sql))) throw new Error('dispatches still pending after 5 minutes');
    const { rows: delivered } = await sql.query(
      `SELECT portal_code AS "portalCode", external_ref AS "externalRef" FROM dispatches
       WHERE status = 'DELIVERED' ORDER BY delivered_at`,
    );
    const batches = statusBatches(delivered);
    const reference = await rawInsertRate(db.url, batches);
    const stopRss = sampleRss({ api: api.proc, worker: worker.proc });
    const status = await statusIngest(sql, api.url, batches, {
      pids: { api: api.pid, worker: worker.pid },
    });
    const rss = stopRss();
    return {
      variant: variant.name,
      events: status.events,
      applied: status.applied,
      appliedPerSecond: Math.round(status.appliedPerSecond),
      storedPerSecond: Math.round(status.storedPerSecond),
      rawInsertPerSecond: Math.round(reference.rowsPerSecond),
      ratioToRawInsert: Number((status.appliedPerSecond / reference.rowsPerSecond).toFixed(3)),
      cpuMsPerEvent: Object.fromEntries(
        Object.entries(status.cpuMsPerEvent).map(([k, v]) => [k, Number(v.toFixed(3))]),
      ),
      rssPeakMb: Object.fromEntries(Object.entries(rss).map(([k, v]) => [k, Math.round(v)])),
      httpStatuses: status.httpStatuses,
      outcomes: status.outcomes,
    };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await deleteRedisPrefix(REDIS_URL, prefix);
    await db.drop().catch(() => undefined);
  }
}

const results = [];
for (let round = 0; round < rounds; round++)
  for (const v of round % 2 ? [...variants].reverse() : variants) {
    const r = await measure(v);
    log(JSON.stringify(r));
    results.push(r);
  }
process.stdout.write(
  `${JSON.stringify({ machine: machine(), grievances, at: new Date().toISOString(), results }, null, 2)}\n`,
);
