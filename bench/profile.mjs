// `node bench/profile.mjs [seconds] [--repeats-off] [--connections N]` — runs the api role under intake load with
// --cpu-prof and prints where its CPU time goes (self time by package and by function), counting
// only the samples taken during the measured load (not start-up, warm-up or shutdown).
// `--repeats-off`: REPEAT_DETECTION=false. `--connections N` (default 40): a few connections leave
// the machine idle between requests, so the api's own share is not inflated by waiting for a CPU.
// Needs `npm run build`.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  REDIS_URL,
  adminUrl,
  benchHubEnv,
  createDatabase,
  deleteRedisPrefix,
  freePorts,
  newPrefix,
  startHub,
} from './lib/infra.mjs';
import { intakeLoad } from './lib/load.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'repeats-off': { type: 'boolean', default: false },
    connections: { type: 'string', default: '40' },
  },
});
const seconds = Number(positionals[0] ?? 10);
const connections = Number(values.connections);
for (const [name, n] of [['--connections', connections], ['seconds', seconds]]) {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number ≥ 1`);
}
const repeatsOff = values['repeats-off'];
// V8's profile timestamps and process.hrtime are both CLOCK_MONOTONIC (µs): comparable across
// processes on Linux, so the load window can be cut out of the hub's profile.
const nowUs = () => Number(process.hrtime.bigint() / 1000n);
let window;
const work = mkdtempSync(join(tmpdir(), 'hub-profile-'));
const db = await createDatabase(adminUrl(), 'bench');
const prefix = newPrefix('prof');
const [port] = await freePorts(1);
try {
  const api = await startHub({
    role: 'api',
    port,
    logFile: join(work, 'api.log'),
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${work}`],
    env: {
      ...benchHubEnv({ databaseUrl: db.url, redisUrl: REDIS_URL, prefix }),
      ...(repeatsOff ? { REPEAT_DETECTION: 'false' } : {}),
    },
  });
  await intakeLoad(api.url, { seconds: 2, connections: 10 });
  const from = nowUs();
  const r = await intakeLoad(api.url, { seconds, connections });
  window = [from, nowUs()];
  console.log(`load: ${r.rps.toFixed(0)} req/s p50 ${r.p50} ms p99 ${r.p99} ms`);
  await api.stop();
} finally {
  await deleteRedisPrefix(REDIS_URL, prefix);
  await db.drop();
}

const file = readdirSync(work).find((f) => f.endsWith('.cpuprofile'));
const profile = JSON.parse(readFileSync(join(work, file), 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = profile.timeDeltas;
let at = profile.startTime;
profile.samples.forEach((id, k) => {
  at += dt[k] ?? 0;
  if (at >= window[0] && at <= window[1]) self.set(id, (self.get(id) ?? 0) + (dt[k] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
console.log(`samples in the load window: ${(total / 1e6).toFixed(1)} s of ${((window[1] - window[0]) / 1e6).toFixed(1)} s`);
const pkg = new Map();
const fn = new Map();
for (const [id, t] of self) {
  const { callFrame: c } = byId.get(id);
  const p = c.url.includes('node_modules/')
    ? c.url
        .split('node_modules/')
        .pop()
        .split('/')
        .slice(0, c.url.split('node_modules/').pop().startsWith('@') ? 2 : 1)
        .join('/')
    : c.url.includes('/dist/')
      ? 'hub (dist)'
      : c.url
        ? c.url.replace(/^.*\//, '')
        : `(${c.functionName || 'native'})`;
  pkg.set(p, (pkg.get(p) ?? 0) + t);
  const f = `${c.functionName || '(anon)'} ${c.url.replace(/^.*node_modules\//, '')}:${c.lineNumber}`;
  fn.set(f, (fn.get(f) ?? 0) + t);
}
const top = (m, n) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, t]) => `${((t / total) * 100).toFixed(1).padStart(5)} %  ${k}`)
    .join('\n');
console.log(
  `\nprofile: ${join(work, file)}\n\nself time by package:\n${top(pkg, 40)}\n\nby function:\n${top(fn, 25)}`,
);
