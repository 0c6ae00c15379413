// Processes and services the benchmarks and the fault suite run: hub roles, sandbox portals,
// private databases, Redis prefixes, a config directory with benchmark delivery settings.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import YAML from 'yaml';
import IORedis from 'ioredis';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST_MAIN = join(ROOT, 'dist', 'src', 'main.js');

/**
 * Node flags of the production command (`start:prod` in package.json: the heap setting of
 * docs/configuration.md), so that the benchmarks and the fault suite run the hub as deployed.
 */
export const PRODUCTION_NODE_ARGS = (() => {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const words = scripts['start:prod'].split(/\s+/);
  return words.slice(words.indexOf('node') + 1, words.indexOf('dist/src/main.js'));
})();

/** The Redis the benchmarks use, under a private prefix per run. */
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * The builds an A/B script measures: with `before` (another build's dist directory, e.g. the
 * previous commit compiled to .bench-before/), that one first, then this checkout's.
 */
export function beforeAndAfter(before) {
  return [
    ...(before
      ? [{ name: 'before', main: join(resolve(before), 'src', 'main.js'), dist: resolve(before) }]
      : []),
    { name: 'after', main: DIST_MAIN, dist: join(ROOT, 'dist') },
  ];
}

/**
 * Portal credentials and webhook secrets for a production-mode hub and its sandboxes, fresh for
 * each run: a value committed to the repository would be public, and production refuses those.
 */
const runSecret = (name) => `bench-${name}-${randomBytes(12).toString('hex')}`;
export const PORTAL_SECRETS = {
  CPGRAMS_API_KEY: runSecret('cpgrams-key'),
  UP_IGRS_API_KEY: runSecret('up-igrs-key'),
  UP_IGRS_WEBHOOK_SECRET: runSecret('up-igrs-webhook-secret'),
  MH_AAPLESARKAR_API_KEY: runSecret('mh-aaplesarkar-key'),
  MH_AAPLESARKAR_WEBHOOK_SECRET: runSecret('mh-aaplesarkar-webhook-secret'),
  LKO_NN_API_KEY: runSecret('lko-nn-key'),
};

/** The portals of config/portals.yaml: code, kind, credential header and env name. */
export function portalsOf(configDir = join(ROOT, 'config')) {
  const doc = YAML.parse(readFileSync(join(configDir, 'portals.yaml'), 'utf8'));
  return doc.portals.map((p) => ({
    code: p.code,
    kind: p.kind,
    credentialHeader: p.credential?.header ?? null,
    credentialEnv: p.credential?.env ?? null,
    baseUrlEnv: `${p.code.replace(/-/g, '_')}_BASE_URL`,
  }));
}

/** A copy of config/ whose portals.yaml carries the given delivery settings for every portal. */
export function configDirWith(delivery) {
  const dir = mkdtempSync(join(tmpdir(), 'hub-config-'));
  for (const f of readdirSync(join(ROOT, 'config')))
    copyFileSync(join(ROOT, 'config', f), join(dir, f));
  const doc = YAML.parse(readFileSync(join(dir, 'portals.yaml'), 'utf8'));
  for (const p of doc.portals) p.delivery = { ...(p.delivery ?? {}), ...delivery };
  writeFileSync(join(dir, 'portals.yaml'), YAML.stringify(doc));
  return dir;
}

export function adminUrl() {
  return process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
}

export function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function adminQuery(url, sql) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A private database, migrated with the hub's own migrator (needs `npm run build`), or with the
 * migrator (and so the migrations) of another build's dist directory `dist`: an older build
 * must not run on a schema whose contract migrations removed what it uses.
 */
export async function createDatabase(admin, prefix = 'bench', dist = join(ROOT, 'dist')) {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await adminQuery(admin, `CREATE DATABASE ${name}`);
  const url = withDatabase(admin, name);
  const { migrate } = await import(join(dist, 'src', 'platform', 'database', 'migrator.js'));
  await migrate(url);
  return {
    name,
    url,
    drop: () => adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

export async function deleteRedisPrefix(url, prefix) {
  const redis = new IORedis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // Redis already gone: nothing to clean.
  } finally {
    redis.disconnect();
  }
}

export function newPrefix(tag) {
  return `${tag}${randomBytes(4).toString('hex')}`;
}

export async function waitForHttp(url, { timeoutMs = 60_000, what = url, proc } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc && proc.exitCode !== null)
      throw new Error(`${what} exited with ${proc.exitCode} before answering`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (res.status < 500) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * A process's command name and CPU seconds from /proc/<pid>/stat (Linux; null when it is not
 * there): `own` user + system, `children` the same of its ended children once reaped.
 */
function processTimes(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = (i) => Number(fields[i]) / 100; // USER_HZ (100)
    return {
      command: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
      own: ticks(11) + ticks(12),
      children: ticks(13) + ticks(14),
    };
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used so far; null where /proc is not there. */
export function cpuSeconds(pid) {
  return processTimes(pid)?.own ?? null;
}

/**
 * CPU seconds (user + system) of every PostgreSQL server process on this machine (Linux): the
 * backends serving the bench, those that ended (a pool closed an idle connection: counted in
 * their parent's, the postmaster's, once reaped), and the server's own workers (WAL writer,
 * checkpointer, autovacuum). Other databases' work on the same server counts too: read it on a
 * machine left alone.
 */
export function postgresCpuSeconds() {
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    // null: the process ended between the listing and the read.
    const times = processTimes(pid);
    if (times?.command === 'postgres') total += times.own + times.children;
  }
  return total;
}

/** CPU seconds the whole machine spent busy (every core, /proc/stat: all but idle and iowait). */
export function machineBusySeconds() {
  const [cpu] = readFileSync('/proc/stat', 'utf8').split('\n');
  const t = cpu.trim().split(/\s+/).slice(1).map(Number);
  const busy = t.reduce((a, b) => a + b, 0) - t[3] - t[4];
  return busy / 100;
}

/**
 * Waits until the machine is quiet: busy for less than `belowShare` of its cores over a window
 * of `windowMs` (the last target's process finishing its garbage collection, PostgreSQL its
 * autovacuum and checkpoint), or `timeoutMs` passed. Returns the share of the last window.
 * Between targets of an A/B, so that none pays for the one before it.
 */
export async function waitQuiet({ belowShare = 0.15, windowMs = 300, timeoutMs = 15_000 } = {}) {
  const cores = cpus().length;
  const until = Date.now() + timeoutMs;
  let share = 1;
  while (Date.now() < until) {
    const busy0 = machineBusySeconds();
    const t0 = process.hrtime.bigint();
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    share = (machineBusySeconds() - busy0) / (seconds * cores);
    if (share < belowShare) break;
  }
  return share;
}

/** Resident set size in MB from /proc (Linux). */
export function rssMb(pid) {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
    return line ? Number(line[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Samples RSS of the given processes until stopped; returns the peak per name. */
export function sampleRss(procs, everyMs = 200) {
  const peak = Object.fromEntries(Object.keys(procs).map((k) => [k, 0]));
  const timer = setInterval(() => {
    for (const [name, p] of Object.entries(procs)) {
      const mb = p?.pid ? rssMb(p.pid) : null;
      if (mb && mb > peak[name]) peak[name] = mb;
    }
  }, everyMs);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

/**
 * The environment every benchmarked hub process gets: a private database and Redis prefix, fresh
 * PII keys, no rate limit, and the portals' own limits raised so the hub itself is measured.
 */
export function benchHubEnv({ databaseUrl, redisUrl, prefix, sandboxEnv, configDir }) {
  return {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    PII_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PII_LOOKUP_KEY: randomBytes(32).toString('base64'),
    RATE_LIMIT_PER_MINUTE: '1000000',
    HUB_CONFIG_DIR:
      configDir ?? configDirWith({ concurrency: 50, ratePerSecond: 100_000, timeoutMs: 5_000 }),
    ...sandboxEnv,
  };
}

/**
 * One hub process (`node dist/src/main.js`) in production mode with the given role.
 * Its output goes to `logFile`; resolves once it answers HTTP.
 */
export async function startHub({
  role,
  port,
  env,
  logFile,
  nodeArgs = [],
  // The production command's flags; bench/memory.mjs compares other settings in their place.
  baseNodeArgs = PRODUCTION_NODE_ARGS,
  main = DIST_MAIN,
  // Another build's checkout (an A/B's "before"): the process runs from there like its own.
  cwd = ROOT,
  // How long it may take to answer HTTP (a heavily shared machine can need more than a minute).
  readyTimeoutMs = 60_000,
}) {
  const out = openSync(logFile, 'a');
  const proc = spawn(process.execPath, [...baseNodeArgs, ...nodeArgs, main], {
    cwd,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HUB_ROLE: role,
      PORT: String(port),
      SANDBOX_PORTALS: 'false',
      LOG_LEVEL: 'info',
      ...PORTAL_SECRETS,
      // A hub setting to compare across a whole bench (e.g. DATABASE_PREPARED_STATEMENTS=false).
      ...(process.env.BENCH_HUB_DATABASE_PREPARED_STATEMENTS
        ? { DATABASE_PREPARED_STATEMENTS: process.env.BENCH_HUB_DATABASE_PREPARED_STATEMENTS }
        : {}),
      ...env,
    },
    stdio: ['ignore', out, out],
  });
  // A hub that did not answer in time is stopped, not left running after the script gives up.
  await waitForHttp(`http://127.0.0.1:${port}/api/v1/categories`, {
    what: `hub ${role}`,
    proc,
    timeoutMs: readyTimeoutMs,
  }).catch(async (error) => {
    await stopProcess(proc, 2_000);
    throw error;
  });
  return {
    proc,
    pid: proc.pid,
    url: `http://127.0.0.1:${port}`,
    /** SIGTERM and wait (graceful shutdown), SIGKILL after a grace period. */
    stop: (graceMs = 10_000) => stopProcess(proc, graceMs),
    kill: () => stopProcess(proc, 0, 'SIGKILL'),
  };
}

export function stopProcess(proc, graceMs = 10_000, signal = 'SIGTERM') {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill(signal);
  });
}

/** The sandbox portals in their own process (so killing a hub worker never kills a portal). */
export async function startSandboxHost({ ports = [], logFile, officerStepMs = {} }) {
  // One port per configured portal: those not given are found here (a portal added to config/
  // needs no change to the callers).
  const configured = portalsOf();
  if (ports.length < configured.length)
    ports = [...ports, ...(await freePorts(configured.length - ports.length))];
  const portals = configured.map((p, i) => ({
    code: p.code,
    kind: p.kind,
    port: ports[i],
    // Simulated officers per portal code (ms per step; none by default).
    officerStepMs: officerStepMs[p.code] ?? 0,
    credential: p.credentialHeader
      ? { header: p.credentialHeader, value: PORTAL_SECRETS[p.credentialEnv] }
      : null,
  }));
  const out = openSync(logFile, 'a');
  const proc = spawn(
    process.execPath,
    [join(ROOT, 'bench', 'lib', 'sandbox-host.mjs'), JSON.stringify(portals)],
    {
      cwd: ROOT,
      stdio: ['ignore', out, out],
    },
  );
  for (const p of portals)
    await waitForHttp(`http://127.0.0.1:${p.port}/__sandbox/registrations`, {
      proc,
      what: `sandbox ${p.code}`,
    });
  const byCode = Object.fromEntries(portals.map((p) => [p.code, `http://127.0.0.1:${p.port}`]));
  return {
    proc,
    urls: byCode,
    /** BASE_URL overrides pointing the hub's adapters at these sandboxes. */
    env: Object.fromEntries(portalsOf().map((p) => [p.baseUrlEnv, byCode[p.code]])),
    registrations: async (code) => (await fetch(`${byCode[code]}/__sandbox/registrations`)).json(),
    faults: async (code, plan) => {
      const res = await fetch(`${byCode[code]}/__sandbox/faults`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(plan),
      });
      if (res.status !== 204)
        throw new Error(`sandbox ${code} refused fault plan: ${await res.text()}`);
    },
    stop: () => stopProcess(proc, 2_000),
  };
}

export function machine() {
  const cpu = cpus();
  return {
    nproc: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
  };
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * A floor server (bench/lib/floor-*.mjs: the intake transaction without the hub) on `port`
 * against `databaseUrl`, answering HTTP; `cwd` where its own packages resolve from.
 */
export async function startFloor(script, port, databaseUrl, { what, timeoutMs, cwd = ROOT } = {}) {
  const proc = spawn(process.execPath, [script, String(port), databaseUrl], {
    cwd,
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(url, { what: what ?? script, proc, timeoutMs });
  } catch (error) {
    await stopProcess(proc, 0, 'SIGKILL');
    throw error;
  }
  return { url, pid: proc.pid, stop: () => stopProcess(proc, 2_000) };
}

export function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export async function freePorts(n) {
  const { createServer } = await import('node:net');
  const ports = [];
  const servers = [];
  for (let i = 0; i < n; i++) {
    const s = createServer();
    await new Promise((r) => s.listen(0, '127.0.0.1', r));
    ports.push(s.address().port);
    servers.push(s);
  }
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** Empties the intake tables between rounds (a private benchmark database). */
export async function truncateIntake(sql) {
  // The other targets' relays keep writing meanwhile (their dispatches' queued_at): a deadlock
  // with one of them is tried again.
  for (let attempt = 1; ; attempt++) {
    try {
      return await sql.query(
        'TRUNCATE complaints, dispatches, status_events, idempotency_keys CASCADE',
      );
    } catch (error) {
      if (error.code !== '40P01' || attempt >= 5) throw error;
    }
  }
}

/**
 * Waits until no dispatch is PENDING (and, when given, at least `expected` exist). Resolves false
 * after `timeoutMs`, so a dead worker ends the run instead of hanging it.
 */
export async function waitSettled(sql, { expected = null, timeoutMs = 300_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const {
      rows: [r],
    } = await sql.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'PENDING')::int AS pending FROM dispatches`,
    );
    if (r.pending === 0 && (expected === null || r.total >= expected)) return true;
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
}
