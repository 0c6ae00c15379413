// `node bench/relay.mjs [--rows N] [--rounds R] [--before <dist dir>]` — relay throughput: N
// lodged grievances (their dispatches waiting for the relay) and N pending notifications, then
// the dispatch relay and the status relay, constructed in this process from a build's classes,
// drain them into BullMQ (no worker). With `--before`, a second build is measured the same way,
// alternating round by round, each on a database migrated by its own build. Needs
// `npm run build` first. Prints JSON; no docs.
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  REDIS_URL,
  adminQuery,
  adminUrl,
  beforeAndAfter,
  deleteRedisPrefix,
  machine,
  newPrefix,
  withDatabase,
} from './lib/infra.mjs';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '2' },
    before: { type: 'string' },
  },
});
const rows = Number(values.rows);
const rounds = Number(values.rounds);
const variants = beforeAndAfter(values.before).map((v) => ({
  ...v,
  dist: dirname(dirname(v.main)),
}));

/** Lodged grievances as intake leaves them, and pending notifications, for either schema. */
async function seed(sql, n) {
  const { rows: outbox } = await sql.query(`SELECT to_regclass('outbox') IS NOT NULL AS has`);
  await sql.query(`
    CREATE TEMP TABLE seed AS
    SELECT gen_random_uuid() AS complaint_id, gen_random_uuid() AS dispatch_id, i
    FROM generate_series(1, ${n}) i;
    INSERT INTO complaints (id, tracking_id, access_token_hash, category, subject, description,
      state_code, pincode, language, primary_portal_code, routing_rule)
    SELECT complaint_id, 'RELAYBENCH' || i, 'x', 'other', 's', 'd', '09', '226001', 'en',
      'UP-IGRS', 'bench'
    FROM seed;
    INSERT INTO dispatches (id, complaint_id, portal_code, "primary")
    SELECT dispatch_id, complaint_id, 'UP-IGRS', true FROM seed;
    INSERT INTO status_events (id, complaint_id, status, source, occurred_at)
    SELECT gen_random_uuid(), complaint_id, 'RECEIVED', 'hub', now() FROM seed;
    INSERT INTO notifications (id, complaint_id, status_event_id, kind)
    SELECT gen_random_uuid(), complaint_id, id, 'status' FROM status_events;`);
  if (outbox[0].has)
    await sql.query(`
      INSERT INTO outbox (id, topic, payload)
      SELECT gen_random_uuid(), 'dispatch.submit', jsonb_build_object('dispatchId', dispatch_id,
        'portalCode', 'UP-IGRS', 'correlationId', complaint_id::text)
      FROM seed`);
  await sql.query('DROP TABLE seed');
}

async function measure(variant) {
  const load = (path) => import(join(variant.dist, 'src', ...path.split('/')) + '.js');
  const [
    { migrate, readMigrations },
    { loadHubConfig },
    { PrismaService },
    { HubMetrics },
    { BackgroundHealth },
    { DispatchRepository },
    { DispatchQueues },
    { OutboxRelay },
    { RelayRepository },
    { StatusQueues },
    { StatusRelay },
  ] = await Promise.all(
    [
      'platform/database/migrator',
      'platform/config/load-config',
      'platform/database/prisma.service',
      'platform/metrics/metrics.service',
      'platform/health/background-health',
      'dispatch/dispatch.repository',
      'dispatch/dispatch-queues.service',
      'dispatch/outbox-relay.service',
      'status-sync/relay.repository',
      'status-sync/status-queues.service',
      'status-sync/status-relay.service',
    ].map(load),
  );
  const name = `bench_relay_${randomBytes(5).toString('hex')}`;
  await adminQuery(adminUrl(), `CREATE DATABASE ${name}`);
  const url = withDatabase(adminUrl(), name);
  // Each build's own migrations: its relay reads the tables it knows.
  await migrate(url, readMigrations(join(dirname(variant.dist), 'prisma', 'migrations')));
  const prefix = newPrefix('bench-relay');
  const config = loadHubConfig({
    configDir: join(dirname(variant.dist), 'config'),
    env: {
      NODE_ENV: 'test',
      DATABASE_URL: url,
      REDIS_URL,
      REDIS_PREFIX: prefix,
      PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      PII_LOOKUP_KEY: randomBytes(32).toString('base64'),
      SANDBOX_PORTALS: 'false',
    },
  });
  const sql = new pg.Pool({ connectionString: url, max: 1 });
  const prisma = new PrismaService(url);
  const metrics = new HubMetrics();
  const background = new BackgroundHealth(metrics);
  const dispatchQueues = new DispatchQueues(config);
  const statusQueues = new StatusQueues(config, metrics);
  try {
    await seed(sql, rows);
    const timed = async (relay) => {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const n = await relay.drain();
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      return {
        rows: n,
        rowsPerSecond: Math.round(n / (ms / 1000)),
        relayCpuMsPerRow: Math.round(((cpu.user + cpu.system) / 1000 / n) * 1000) / 1000,
      };
    };
    const dispatchRelay = new OutboxRelay(
      new DispatchRepository(prisma),
      dispatchQueues,
      background,
    );
    const statusRelay = new StatusRelay(new RelayRepository(prisma), statusQueues, background);
    const dispatches = await timed(dispatchRelay);
    const notifications = await timed(statusRelay);
    // An idle look: what each tick costs when there is nothing to relay.
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) await Promise.all([dispatchRelay.drain(), statusRelay.drain()]);
    const idleTickMs = Math.round(((performance.now() - t0) / 200) * 1000) / 1000;
    return {
      variant: variant.name,
      dispatches,
      notifications,
      idleTickMs,
    };
  } finally {
    await Promise.all([dispatchQueues.onModuleDestroy(), statusQueues.onModuleDestroy()]);
    await prisma.onModuleDestroy();
    await sql.end();
    await deleteRedisPrefix(REDIS_URL, prefix);
    await adminQuery(adminUrl(), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

const results = [];
for (let r = 0; r < rounds; r++) for (const v of variants) results.push(await measure(v));
process.stdout.write(
  `${JSON.stringify({ machine: machine(), rows, rounds, before: values.before ? resolve(values.before) : null, results }, null, 2)}\n`,
);
