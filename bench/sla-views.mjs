// `node bench/sla-views.mjs --count 1000000` (seeds a fresh database, then drops it) or
// `node bench/sla-views.mjs --database-url postgresql://…/seeded` (an already seeded one, kept):
// times the staff SLA views over HTTP against a built hub (`HUB_ROLE=api`, production command) —
// each request `--runs` times (default 7): the first call, then the median and max of the others.
// Prints a Markdown table with the < 500 ms target beside each row. Needs `npm run build`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  REDIS_URL,
  ROOT,
  adminQuery,
  adminUrl,
  benchHubEnv,
  createDatabase,
  deleteRedisPrefix,
  freePorts,
  machine,
  newPrefix,
  percentile,
  startHub,
} from './lib/infra.mjs';

const { values } = parseArgs({
  options: {
    count: { type: 'string' },
    'database-url': { type: 'string' },
    runs: { type: 'string', default: '7' },
  },
});
if (!values.count === !values['database-url'])
  throw new Error('give either --count N (seed a fresh database) or --database-url URL');
const runs = Number(values.runs);
const TARGET_MS = 500;
const REQUESTS = [
  '/api/v1/sla/summary?groupBy=portal',
  '/api/v1/sla/summary?groupBy=state',
  '/api/v1/sla/summary?groupBy=district',
  '/api/v1/sla/summary?groupBy=category',
  '/api/v1/sla/summary?groupBy=district&from=2026-01-15&to=2026-06-20',
  '/api/v1/sla/district-index?state=09&month=2026-10',
  '/api/v1/sla/district-index.csv?state=09&month=2026-10',
  '/api/v1/sla/summary?groupBy=ministry',
  '/api/v1/sla/summary?groupBy=ageing',
  '/api/v1/sla/summary?groupBy=district&state=09&category=ROADS',
  '/api/v1/sla/insights?state=09',
  '/api/v1/sla/breaches?limit=50',
  '/api/v1/sla/breaches?limit=50&sort=-received&ministry=MORLY',
  '/api/v1/sla/breaches?state=09&district=162&limit=50',
  '/api/v1/sla/report.csv?groupBy=district',
  '/api/v1/sla/trend',
  '/api/v1/public/figures?to=2099-12-31',
];
const log = (line) => process.stdout.write(`${line}\n`);
const cli = (script, args, databaseUrl) =>
  execFileSync(process.execPath, [join(ROOT, 'dist', 'src', 'cli', script), ...args], {
    cwd: ROOT,
    // Development: the seeded grievances use the checkout's dev keys, as `npm run seed` does.
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'development',
      DATABASE_URL: databaseUrl,
      SANDBOX_PORTALS: 'false',
    },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });

const created = values.count ? await createDatabase(adminUrl(), 'bench_sla') : null;
const databaseUrl = created?.url ?? values['database-url'];
const prefix = newPrefix('sla');
const work = mkdtempSync(join(tmpdir(), 'hub-sla-'));
let api;
try {
  if (values.count) {
    log(`seeding ${values.count} grievances into ${created.name}…`);
    log(cli('seed.js', ['--count', values.count], databaseUrl).trim());
  }
  const {
    rows: [size],
  } = await adminQuery(
    databaseUrl,
    `SELECT count(*)::int AS grievances, count(*) FILTER (WHERE closed_at IS NULL)::int AS open FROM complaints`,
  );
  const { key } = JSON.parse(
    cli('hub.js', ['api-key', 'create', '--role', 'staff', '--name', 'sla benchmark'], databaseUrl),
  );
  const [port] = await freePorts(1);
  api = await startHub({
    role: 'api',
    port,
    env: benchHubEnv({ databaseUrl, redisUrl: REDIS_URL, prefix }),
    logFile: join(work, 'api.log'),
  });
  const rows = [];
  for (const path of REQUESTS) {
    const times = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const res = await fetch(`${api.url}${path}`, { headers: { Authorization: `Bearer ${key}` } });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${path} answered ${res.status}`);
      times.push(performance.now() - started);
    }
    const rest = times.slice(1).sort((a, b) => a - b);
    rows.push({ path, first: times[0], median: percentile(rest, 50), max: rest.at(-1) });
  }
  const m = machine();
  const ms = (x) => x.toFixed(0);
  log(
    `\n${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${m.nproc} × ${m.cpuModel}, Node ${m.node}; ${size.grievances.toLocaleString('en')} grievances (${size.open.toLocaleString('en')} not closed); each request ${runs} times over HTTP with a staff key (ms):\n`,
  );
  log('| request | first | median | max | target | |');
  log('|---|---|---|---|---|---|');
  for (const r of rows)
    log(
      `| \`${r.path}\` | ${ms(r.first)} | ${ms(r.median)} | ${ms(r.max)} | < ${TARGET_MS} | ${r.max < TARGET_MS ? 'met' : '**missed**'} |`,
    );
} finally {
  await api?.stop();
  await deleteRedisPrefix(REDIS_URL, prefix);
  await created?.drop();
}
