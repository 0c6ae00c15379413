// `npm run build && node bench/webhook-flood.mjs [--clients 8] [--posts 10] [--rounds 2]
//   [--before <dist dir> [--before-config <config dir>]]` — what pushes nobody signed cost everyone else (issue 12 §2): the
// latency of `/health/live`, probed one request after another, on an idle api process and while
// `clients` clients each POST `posts` bodies of ~1 MiB to the portal webhook, back to back.
// Two floods, each from its own loopback address: `unsigned` (no signature headers) and `forged`
// (a fresh X-Hub-Timestamp and a well-formed but wrong X-Hub-Signature, so the HMAC has to be
// computed). This build runs twice: as configured (failed signatures throttled per address) and
// with the throttle out of reach (`throttle-off`), to show the raw-bytes-first check on its own.
// With `--before`, an older build is measured the same way; the variants alternate (A B C C B A).
// A measurement, not a test: prints JSON, asserts nothing. Results: docs/benchmarks.md.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  adminUrl,
  beforeAndAfter,
  benchHubEnv,
  cpuSeconds,
  createDatabase,
  deleteRedisPrefix,
  freePorts,
  machine,
  newPrefix,
  percentile,
  REDIS_URL,
  sleep,
  startHub,
} from './lib/infra.mjs';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '8' },
    posts: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
    before: { type: 'string' },
    // An older build may not read this checkout's config/ (new fields): give it its own.
    'before-config': { type: 'string' },
  },
});
const clients = Number(values.clients);
const posts = Number(values.posts);
const rounds = Number(values.rounds);
const work = mkdtempSync(join(tmpdir(), 'hub-webhook-flood-'));
const PATH = '/api/v1/portals/UP-IGRS/status-updates';

/** A batch of small events just under the 1 MiB limit: the most parsing and walking per byte. */
function floodBody() {
  const events = [];
  let size = 12;
  for (let i = 0; size < 1_040_000; i++) {
    const e = JSON.stringify({
      eventId: `flood-${i}`,
      externalRef: `40016226${String(i).padStart(6, '0')}`,
      status: 'Nistarit',
      occurredAt: '2026-11-26T10:00:00+05:30',
      remarks: 'x',
    });
    events.push(e);
    size += e.length + 1;
  }
  return Buffer.from(`{"events":[${events.join(',')}]}`);
}

function send(agent, url, method, path, headers = {}, body, localAddress) {
  const { port } = new URL(url);
  const options = { host: '127.0.0.1', port, method, path, agent, headers, localAddress };
  return new Promise((resolve, reject) => {
    const req = request(options, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sequential probes of /health/live until `until` resolves; latencies in ms. */
async function probe(url, until) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const samples = [];
  let done = false;
  until.then(() => (done = true));
  while (!done) {
    const t0 = performance.now();
    await send(agent, url, 'GET', '/health/live');
    samples.push(performance.now() - t0);
  }
  agent.destroy();
  return samples;
}

function summary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const ms = (v) => Math.round(v * 10) / 10;
  return {
    probes: sorted.length,
    p50: ms(percentile(sorted, 50)),
    p90: ms(percentile(sorted, 90)),
    max: ms(sorted.at(-1)),
  };
}

async function flood(url, body, { from, headersFor }) {
  const statuses = {};
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; i < posts; i++) {
        const headers = {
          'Content-Type': 'application/json',
          'Content-Length': String(body.length),
          ...headersFor(),
        };
        const status = await send(agent, url, 'POST', PATH, headers, body, from);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
      agent.destroy();
    }),
  );
  return { seconds: Math.round(performance.now() - t0) / 1000, statuses };
}

// Separate addresses: one flood's failures do not throttle the other's.
const FLOODS = {
  unsigned: { from: '127.0.0.2', headersFor: () => ({}) },
  forged: {
    from: '127.0.0.3',
    headersFor: () => ({
      'X-Hub-Timestamp': String(Math.floor(Date.now() / 1000)),
      'X-Hub-Signature': `sha256=${randomBytes(32).toString('hex')}`,
    }),
  },
};

async function measure(variant, round) {
  const db = await createDatabase(adminUrl(), 'bench_flood');
  const prefix = newPrefix('bench-flood');
  const [port] = await freePorts(1);
  let hub;
  try {
    hub = await startHub({
      role: 'api',
      port,
      env: { ...benchHubEnv({ databaseUrl: db.url, redisUrl: REDIS_URL, prefix }), ...variant.env },
      main: variant.main,
      logFile: join(work, `${variant.name}-${round}.log`),
    });
    await sleep(2_000); // start-up work is not idling
    const idle = summary(await probe(hub.url, sleep(3_000)));
    const body = floodBody();
    const result = { variant: variant.name, round, bodyBytes: body.length, idle };
    for (const [name, spec] of Object.entries(FLOODS)) {
      const cpu0 = cpuSeconds(hub.pid);
      const running = flood(hub.url, body, spec);
      const during = summary(await probe(hub.url, running));
      const { seconds, statuses } = await running;
      result[name] = {
        liveness: during,
        floodSeconds: seconds,
        hubCpuSeconds: Math.round((cpuSeconds(hub.pid) - cpu0) * 100) / 100,
        statuses,
      };
      await sleep(1_000);
    }
    return result;
  } finally {
    await hub?.stop();
    await deleteRedisPrefix(REDIS_URL, prefix);
    await db.drop();
  }
}

// An older build ignores the setting (unknown variables are not read).
const variants = [
  ...beforeAndAfter(values.before).map((v) =>
    v.name === 'before' && values['before-config']
      ? { ...v, env: { HUB_CONFIG_DIR: resolve(values['before-config']) } }
      : v,
  ),
  {
    name: 'throttle-off',
    main: beforeAndAfter().at(-1).main,
    env: { PORTAL_AUTH_FAILURES_PER_MINUTE: '10000' },
  },
];
const order = [];
for (let r = 0; r < rounds; r++) order.push(...(r % 2 ? [...variants].reverse() : variants));
const results = [];
for (const [i, variant] of order.entries()) results.push(await measure(variant, i));
console.log(JSON.stringify({ machine: machine(), clients, posts, results }, null, 2));
