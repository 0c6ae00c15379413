// `node bench/memory.mjs [--rounds N] [--seconds S] [--drain N] [--fixed-rate R] VARIANT…` — RSS and
// V8 heap of the api role under full-speed intake (and its latency at R req/s offered, 0 skips) and
// of the worker role during a drain plus steady load, for
// several variants in the same run (rounds alternated, because the machine is shared). A variant is
// `name`, `name:--node-flag,--other-flag` or `name:flags@/abs/path/to/dist/src/main.js` (another
// build). Prints CPU time per request / per delivery beside RSS, so a memory setting that costs
// throughput shows. Needs `npm run build`.
//   node bench/memory.mjs default production:--max-old-space-size=512
import { mkdtempSync, readFileSync } from 'node:fs';
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
  newPrefix,
  sampleRss,
  startSandboxHost,
  startHub,
  truncateIntake,
  waitSettled,
} from './lib/infra.mjs';
import { intakeLoad, pacedLoad } from './lib/load.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args.splice(i, 2)[1]) : fallback;
};
const rounds = option('rounds', 2);
const seconds = option('seconds', 10);
const drain = option('drain', 5_000);
const fixedRate = option('fixed-rate', 500);
const variants = (args.length ? args : ['default']).map((spec) => {
  const [name, rest = ''] = spec.split(/:(.*)/s);
  const [flags, main = DIST_MAIN] = rest.split('@');
  return { name, main, nodeArgs: flags ? flags.split(',') : [] };
});
const work = mkdtempSync(join(tmpdir(), 'hub-memory-'));
const log = (line) => process.stdout.write(`${line}\n`);

function heapAtPeak(file) {
  const lines = readFileSync(file, 'utf8').trim().split('\n').map(JSON.parse);
  const peak = lines.reduce((a, b) => (b.rss > a.rss ? b : a));
  return `heap at peak: total ${peak.heapTotal} MB (old ${peak.oldSpace}, new ${peak.newSpace}), used ${peak.heapUsed}, external ${peak.external}`;
}

/** A hub process with the memory probe preloaded and the variant's flags instead of production's. */
async function start(variant, role, port, env) {
  const probe = join(work, `${variant.name}-${role}-${port}.jsonl`);
  const hub = await startHub({
    role,
    port,
    env: { ...env, MEMORY_PROBE_FILE: probe },
    logFile: join(work, `${variant.name}-${role}.log`),
    baseNodeArgs: ['--import', join(ROOT, 'bench', 'lib', 'memory-probe.mjs')],
    nodeArgs: variant.nodeArgs,
    main: variant.main,
  });
  return { ...hub, probe };
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
  const truncate = () => truncateIntake(sql);
  const settled = async () => {
    if (!(await waitSettled(sql))) throw new Error('dispatches still pending after 5 minutes');
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
      const cpu0 = cpuSeconds(proc.pid) * 1000;
      const r = await intakeLoad(url, { seconds });
      const cpu = (cpuSeconds(proc.pid) * 1000 - cpu0) / r.total;
      log(
        `api    ${v.name} round ${round}: ${r.rps.toFixed(0)} req/s, ${cpu.toFixed(3)} ms CPU/req, p99 ${r.p99} ms, RSS peak ${stopRss().p.toFixed(0)} MB; ${heapAtPeak(probe)}`,
      );
    }
  for (let round = 1; fixedRate > 0 && round <= rounds; round++)
    for (const [i, v] of variants.entries()) {
      await truncate();
      const r = await pacedLoad(apis[i].url, { seconds, rate: fixedRate });
      log(
        `api    ${v.name} round ${round} at ${fixedRate} req/s offered: p50 ${r.p50} ms, p99 ${r.p99} ms (${r.rps.toFixed(0)} req/s served)`,
      );
    }
  for (let round = 1; drain > 0 && round <= rounds; round++)
    for (const [i, v] of variants.entries()) {
      await truncate();
      await intakeLoad(apis[0].url, { amount: drain, connections: 40 });
      const worker = await start(v, 'worker', ports[3 + variants.length + i], env);
      const stopRss = sampleRss({ p: worker.proc });
      const t0 = Date.now();
      const cpu0 = cpuSeconds(worker.proc.pid) * 1000;
      await settled();
      const drainS = (Date.now() - t0) / 1000;
      const cpu = (cpuSeconds(worker.proc.pid) * 1000 - cpu0) / drain;
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
