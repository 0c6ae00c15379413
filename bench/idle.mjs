// `node bench/idle.mjs [--seconds S] [--backlog N] [--before <dist dir>]` — what an idle worker
// costs: its CPU, the machine's busy CPU (PostgreSQL included) and the transactions it commits
// per second while nothing happens.
// With `--backlog N`, N notifications already queued and still pending (SMTP down, say) sit in
// the table, as after an outage. With `--before`, a second build is measured the same way in
// the same run. Needs `npm run build` first. Prints JSON; no docs.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  beforeAndAfter,
  REDIS_URL,
  adminUrl,
  benchHubEnv,
  cpuSeconds,
  createDatabase,
  deleteRedisPrefix,
  freePorts,
  machine,
  newPrefix,
  sleep,
  startHub,
  startSandboxHost,
} from './lib/infra.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    backlog: { type: 'string', default: '0' },
    before: { type: 'string' },
  },
});
// Under the relay sweep's 60 s age, so the backlog is not re-queued during the window.
const seconds = Math.min(Number(values.seconds), 25);
const backlog = Number(values.backlog);
const variants = beforeAndAfter(values.before);
const work = mkdtempSync(join(tmpdir(), 'hub-idle-bench-'));

/** Pending notifications already handed to the queue: what a long SMTP outage leaves behind. */
async function seedBacklog(sql, n) {
  if (n === 0) return;
  await sql.query(`
    WITH c AS (
      INSERT INTO complaints (id, tracking_id, access_token_hash, status, category, subject,
        description, state_code, pincode, language, primary_portal_code, routing_rule)
      VALUES (gen_random_uuid(), 'IDLEBENCH01', 'x', 'DELIVERED', 'other', 's', 'd', 'UP',
        '226001', 'en', 'CPGRAMS', 'bench')
      RETURNING id),
    e AS (
      INSERT INTO status_events (id, complaint_id, status, source, occurred_at)
      SELECT gen_random_uuid(), c.id, 'DELIVERED', 'hub', now() FROM c, generate_series(1, ${n})
      RETURNING id, complaint_id)
    INSERT INTO notifications (id, complaint_id, status_event_id, kind, state, created_at, queued_at)
    SELECT gen_random_uuid(), complaint_id, id, 'status', 'PENDING', now(), now() FROM e`);
}

/**
 * Busy CPU seconds of the whole machine (all cores, /proc/stat): PostgreSQL's share of the
 * relay's queries runs in backends that come and go with the pool, so it is counted this way.
 */
function machineBusySeconds() {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return (user + nice + system + irq + softirq + steal) / 100;
}

async function measure(variant) {
  const db = await createDatabase(adminUrl(), 'bench_idle', variant.dist);
  const prefix = newPrefix('bench-idle');
  const [workerPort, ...sandboxPorts] = await freePorts(4);
  const sandboxes = await startSandboxHost({
    ports: sandboxPorts,
    logFile: join(work, 'sandboxes.log'),
  });
  const sql = new pg.Pool({ connectionString: db.url, max: 1 });
  let worker;
  try {
    await seedBacklog(sql, backlog);
    const env = benchHubEnv({
      databaseUrl: db.url,
      redisUrl: REDIS_URL,
      prefix,
      sandboxEnv: sandboxes.env,
    });
    worker = await startHub({
      role: 'worker',
      port: workerPort,
      env,
      main: variant.main,
      logFile: join(work, `${variant.name}-worker.log`),
    });
    await sleep(3_000); // start-up work (schedulers, first sweep) is not idling
    const commits = async () =>
      Number(
        (
          await sql.query(
            'SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1',
            [db.name],
          )
        ).rows[0].n,
      );
    const cpu0 = cpuSeconds(worker.pid);
    const busy0 = machineBusySeconds();
    const tx0 = await commits();
    await sleep(seconds * 1_000);
    const cpu1 = cpuSeconds(worker.pid);
    const busy1 = machineBusySeconds();
    // pg_stat counters reach the view when a backend reports them (at most every second).
    await sleep(1_200);
    const tx1 = await commits();
    return {
      variant: variant.name,
      backlog,
      workerCpuPct: Math.round(((cpu1 - cpu0) / seconds) * 1000) / 10,
      machineCpuPct: Math.round(((busy1 - busy0) / seconds) * 1000) / 10,
      transactionsPerSecond: Math.round(((tx1 - tx0) / (seconds + 1.2)) * 10) / 10,
    };
  } finally {
    await worker?.stop();
    await sandboxes.stop();
    await sql.end();
    await deleteRedisPrefix(REDIS_URL, prefix);
    await db.drop();
  }
}

const results = [];
for (const variant of variants) results.push(await measure(variant));
console.log(JSON.stringify({ machine: machine(), seconds, results }, null, 2));
