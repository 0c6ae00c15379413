// `node bench/memory.mjs [--rounds N] [--seconds S] [--drain N] VARIANT…` — RSS and V8 heap of the
// api role under full-speed intake and of the worker role during a drain plus steady load, for
// several variants in the same run (rounds alternated, because the machine is shared). A variant is
// `name`, `name:--node-flag,--other-flag` or `name:flags@/abs/path/to/dist/src/main.js` (another
// build). Prints CPU time per request / per delivery beside RSS, so a memory setting that costs
// throughput shows. Needs `npm run build`.
//   node bench/memory.mjs default production:--max-old-space-size=512
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  DIST_MAIN,
  PORTAL_SECRETS,
  ROOT,
  adminUrl,
  benchHubEnv,
  REDIS_URL,
  createDatabase,
  deleteRedisPrefix,
  freePorts,
  newPrefix,
  sampleRss,
  sleep,
  startSandboxHost,
  stopProcess,
  waitForHttp,
} from './lib/infra.mjs';
import { intakeLoad } from './lib/load.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args.splice(i, 2)[1]) : fallback;
};
const rounds = option('rounds', 2);
const seconds = option('seconds', 10);
const drain = option('drain', 5_000);
const variants = (args.length ? args : ['default']).map((spec) => {
  const [name, rest = ''] = spec.split(/:(.*)/s);
  const [flags, main = DIST_MAIN] = rest.split('@');
  return { name, main, nodeArgs: flags ? flags.split(',') : [] };
});
const work = mkdtempSync(join(tmpdir(), 'hub-memory-'));
const log = (line) => process.stdout.write(`${line}\n`);

/** user + system CPU of a process in ms (Linux, 100 ticks/s). */
function cpuMs(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

function heapAtPeak(file) {
  const lines = readFileSync(file, 'utf8').trim().split('\n').map(JSON.parse);
  const peak = lines.reduce((a, b) => (b.rss > a.rss ? b : a));
  return `heap at peak: total ${peak.heapTotal} MB (old ${peak.oldSpace}, new ${peak.newSpace}), used ${peak.heapUsed}, external ${peak.external}`;
}

async function start(variant, role, port, env) {
  const probe = join(work, `${variant.name}-${role}-${port}.jsonl`);
  const out = openSync(join(work, `${variant.name}-${role}.log`), 'a');
  const probeArgs = ['--import', join(ROOT, 'bench', 'lib', 'memory-probe.mjs')];
  const proc = spawn(process.execPath, [...probeArgs, ...variant.nodeArgs, variant.main], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HUB_ROLE: role,
      PORT: String(port),
      SANDBOX_PORTALS: 'false',
      LOG_LEVEL: 'info',
      ...PORTAL_SECRETS,
      ...env,
      MEMORY_PROBE_FILE: probe,
    },
    stdio: ['ignore', out, out],
  });
  await waitForHttp(`http://127.0.0.1:${port}/api/v1/categories`, { proc, what: variant.name });
  return { proc, probe, url: `http://127.0.0.1:${port}`, stop: () => stopProcess(proc) };
}

const db = await createDatabase(adminUrl(), 'memory');
const prefix = newPrefix('mem');
const ports = await freePorts(3 + 2 * variants.length);
const cleanup = [];
try {
  const sandboxes = await startSandboxHost({
    ports: ports.slice(0, 3),
    logFile: join(work, 'sandboxes.log'),
  });
  cleanup.push(() => sandboxes.stop());
  const sql = new pg.Pool({ connectionString: db.url, max: 2 });
  cleanup.push(() => sql.end());
  const truncate = () =>
    sql.query('TRUNCATE complaints, dispatches, outbox, status_events, idempotency_keys CASCADE');
  const settled = async () => {
    for (;;) {
      const { rows } = await sql.query(`SELECT 1 FROM dispatches WHERE status = 'PENDING' LIMIT 1`);
      if (!rows.length) return;
      await sleep(50);
    }
  };
  const env = benchHubEnv({
    databaseUrl: db.url,
    redisUrl: REDIS_URL,
    prefix,
    sandboxEnv: sandboxes.env,
  });
  log(`memory: ${variants.map((v) => v.name).join(' vs ')}, logs in ${work}`);
  const apis = [];
  for (const [i, v] of variants.entries()) {
    const api = await start(v, 'api', ports[3 + i], env);
    cleanup.push(() => api.stop());
    apis.push(api);
    await intakeLoad(api.url, { seconds: 1, connections: 10 });
  }
  for (let round = 1; round <= rounds; round++)
    for (const [i, v] of variants.entries()) {
      await truncate();
      const { proc, url, probe } = apis[i];
      const stopRss = sampleRss({ p: proc });
      const cpu0 = cpuMs(proc.pid);
      const r = await intakeLoad(url, { seconds });
      const cpu = (cpuMs(proc.pid) - cpu0) / r.total;
      log(
        `api    ${v.name} round ${round}: ${r.rps.toFixed(0)} req/s, ${cpu.toFixed(3)} ms CPU/req, p99 ${r.p99} ms, RSS peak ${stopRss().p.toFixed(0)} MB; ${heapAtPeak(probe)}`,
      );
    }
  for (let round = 1; round <= rounds; round++)
    for (const [i, v] of variants.entries()) {
      await truncate();
      await intakeLoad(apis[0].url, { amount: drain, connections: 40 });
      const worker = await start(v, 'worker', ports[3 + variants.length + i], env);
      const stopRss = sampleRss({ p: worker.proc });
      const t0 = Date.now();
      const cpu0 = cpuMs(worker.proc.pid);
      await settled();
      const drainS = (Date.now() - t0) / 1000;
      const cpu = (cpuMs(worker.proc.pid) - cpu0) / drain;
      await intakeLoad(apis[0].url, { seconds, rate: 200, connections: 20 });
      await settled();
      log(
        `worker ${v.name} round ${round}: ${drain} dispatches in ${drainS.toFixed(1)} s (${(drain / drainS).toFixed(0)}/s), ${cpu.toFixed(2)} ms CPU/delivery, RSS peak ${stopRss().p.toFixed(0)} MB over drain + ${seconds} s at 200 req/s; ${heapAtPeak(worker.probe)}`,
      );
      await worker.stop();
    }
} finally {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  await deleteRedisPrefix(REDIS_URL, prefix);
  await db.drop().catch((e) => log(`could not drop ${db.name}: ${e.message}`));
}
