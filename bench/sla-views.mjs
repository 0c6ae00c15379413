// `node bench/sla-views.mjs --count 1000000` (seeds a fresh database, then drops it; the default
// when neither option is given) or
// `node bench/sla-views.mjs --database-url postgresql://…/seeded` (an already seeded one, kept):
// times the staff SLA views over HTTP against a built hub (`HUB_ROLE=api`, production command) —
// each request `--runs` times (default 7): the first call, then the median and max of the others.
// `--main <other build>/dist/src/main.js` times another build against the same database (a
// before/after); `--only <substring>` (repeatable) times only the requests containing it.
// Prints a Markdown table with the < 500 ms target beside each row, and the machine's load
// average (a shared machine makes every figure pessimistic). Needs `npm run build`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
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
    // Another build's dist/src/main.js (a before/after on one database), and a substring the
    // requests timed must contain (repeatable; default all).
    main: { type: 'string' },
    only: { type: 'string', multiple: true },
  },
});
if (values.count && values['database-url'])
  throw new Error('give either --count N (seed a fresh database) or --database-url URL');
if (!values['database-url']) values.count ??= '1000000';
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
  '/api/v1/sla/summary?groupBy=ministry&from=2026-01-15&to=2026-06-20',
  '/api/v1/sla/summary?groupBy=state&ministry=MORLY',
  '/api/v1/sla/summary?groupBy=district&ministry=-',
  '/api/v1/sla/summary?groupBy=ageing',
  '/api/v1/sla/summary?groupBy=ageing&state=09',
  '/api/v1/sla/summary?groupBy=district&state=09',
  '/api/v1/sla/summary?groupBy=district&state=09&category=ROADS',
  '/api/v1/sla/summary?groupBy=portal&state=09',
  '/api/v1/sla/summary?groupBy=category&portal=CPGRAMS&from=2026-09-01&to=2026-09-30',
  '/api/v1/sla/insights?state=09',
  '/api/v1/sla/breaches?limit=50',
  // Paging: the third page, by the cursor of the second (resolved before timing).
  { page: 3, path: '/api/v1/sla/breaches?limit=50' },
  { page: 3, path: '/api/v1/sla/breaches?limit=50&sort=-received' },
  '/api/v1/sla/breaches?limit=50&sort=-received&ministry=MORLY',
  '/api/v1/sla/breaches?state=09&district=162&limit=50',
  { page: 3, path: '/api/v1/sla/breaches?state=09&category=ROADS&limit=50' },
  '/api/v1/sla/report.csv?groupBy=district',
  '/api/v1/sla/trend',
  // The public page's figures are cached per range: the first call is the uncached read, and
  // the second row asks for another range on every call so that none is cached.
  { public: true, path: '/api/v1/public/figures?to=2099-12-31' },
  {
    public: true,
    label: '/api/v1/public/figures?from=2024-01-DD&to=2099-12-31 (another day each call: uncached)',
    path: (i) =>
      `/api/v1/public/figures?from=2024-01-${String(i + 1).padStart(2, '0')}&to=2099-12-31`,
  },
  { public: true, path: '/api/v1/public/district-index?state=09&month=2026-10' },
  { public: true, path: '/public' },
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
    ...(values.main ? { main: values.main } : {}),
    env: benchHubEnv({ databaseUrl, redisUrl: REDIS_URL, prefix }),
    logFile: join(work, 'api.log'),
  });
  const get = async (path, auth) => {
    const res = await fetch(`${api.url}${path}`, {
      headers: auth ? { Authorization: `Bearer ${key}` } : {},
    });
    if (!res.ok) throw new Error(`${path} answered ${res.status}`);
    return res;
  };
  // Page `page` of a list (its last, if it has fewer): follow nextCursor from the first page.
  const pagePath = async (path, page) => {
    let at = path;
    let reached = 1;
    for (; reached < page; reached++) {
      const { nextCursor } = await (await get(at, true)).json();
      if (!nextCursor) break;
      at = `${path}&cursor=${nextCursor}`;
    }
    return { at, reached };
  };
  const rows = [];
  for (const request of REQUESTS) {
    const r = typeof request === 'string' ? { path: request } : request;
    const name = r.label ?? (typeof r.path === 'string' ? r.path : '');
    if (values.only && !values.only.some((o) => name.includes(o))) continue;
    const paged = r.page ? await pagePath(r.path, r.page) : null;
    const fixed = paged?.at ?? r.path;
    const times = [];
    for (let i = 0; i < runs; i++) {
      const path = typeof fixed === 'function' ? fixed(i) : fixed;
      const started = performance.now();
      await (await get(path, !r.public)).arrayBuffer();
      times.push(performance.now() - started);
    }
    const label = r.label ?? (paged ? `${r.path} (page ${paged.reached})` : r.path);
    const rest = times.slice(1).sort((a, b) => a - b);
    rows.push({ path: label, first: times[0], median: percentile(rest, 50), max: rest.at(-1) });
  }
  const m = machine();
  const ms = (x) => x.toFixed(0);
  log(
    `\n${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${m.nproc} × ${m.cpuModel}, Node ${m.node}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(
        ' / ',
      )} (1/5/15 min); ${size.grievances.toLocaleString('en')} grievances (${size.open.toLocaleString('en')} not closed); each request ${runs} times over HTTP with a staff key (ms):\n`,
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
