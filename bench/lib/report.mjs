// Writes the benchmark sections of docs/benchmarks.md between markers, leaving every other
// section (the SLA views have their own) as it is.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './infra.mjs';

const START = '<!-- bench:proof:start (written by `npm run bench`; edit bench/lib/report.mjs) -->';
const END = '<!-- bench:proof:end -->';

const pct = (x) => `${(x * 100).toFixed(0)} %`;
const n0 = (x) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');
const ms3 = (x) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
const ok = (pass) => (pass ? 'met' : '**missed**');

export function renderReport(r) {
  const m = r.machine;
  const i = r.intake;
  const lines = [
    START,
    '## Intake, delivery and memory',
    '',
    `Measured ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC with \`npm run bench\` on ${m.nproc} × ${m.cpuModel}, ${m.memoryGb} GB RAM, Node ${m.node}; PostgreSQL and Redis are the machine's own (private database and Redis prefix per run). The machine is shared with other engineers' test runs, so absolute numbers move by ±30 % between runs; the ratios, each against a reference taken in the same run, are the figures to read.`,
    '',
    '| figure | hub | reference (same run) | ratio | target | |',
    '|---|---|---|---|---|---|',
    `| intake throughput, 40 connections, keep-alive | ${n0(i.hub.rps)} req/s | floor: minimal NestJS handler on Express + raw pg, same transaction, ${n0(i.floor.rps)} req/s | ${pct(i.ratio)} | ≥ 80 % of floor | ${ok(i.ratio >= 0.8)} |`,
    `| intake through Open311 (form, PIN/coordinates → district) | ${n0(i.open311.rps)} req/s, p99 ${i.open311.p99} ms | native intake, same run, ${n0(i.hub.rps)} req/s | ${pct(i.open311Ratio)} | (reference) | |`,
    `| intake throughput vs bare Node | ${n0(i.hub.rps)} req/s | node:http handler + raw pg, same transaction, ${n0(i.bareFloor.rps)} req/s | ${pct(i.ratioToBareFloor)} | (reference) | |`,
    `| intake CPU per request (process user + system) | ${ms3(i.hub.cpuMsPerRequest)} ms | floor ${ms3(i.floor.cpuMsPerRequest)} ms, bare Node ${ms3(i.bareFloor.cpuMsPerRequest)} ms | | | |`,
    ...(i.repeatsOff
      ? [
          `| intake throughput, repeat check on vs off | ${n0(i.hub.rps)} req/s | same api with REPEAT_DETECTION=false, same rounds, ${n0(i.repeatsOff.rps)} req/s | ${pct(1 - i.repeatCheckCost)} | ≥ 90 % | ${ok(i.repeatCheckCost <= 0.1)} |`,
        ]
      : []),
    `| intake throughput vs PostgreSQL | ${n0(i.hub.rps)} req/s | single-row commits ${n0(r.commit.commitsPerSecond)}/s (20 clients) | ${pct(i.ratioToCommits)} | (ceiling) | |`,
    `| intake latency at full speed | p50 ${i.hub.p50} ms, p99 ${i.hub.p99} ms | floor p50 ${i.floor.p50} ms, p99 ${i.floor.p99} ms | | | |`,
    `| intake latency at ${i.fixedRate} req/s offered, evenly paced | p50 ${i.fixed.hub.p50} ms, p99 ${i.fixed.hub.p99} ms (${n0(i.fixed.hub.rps)} req/s served) | floor p50 ${i.fixed.floor.p50} ms, p99 ${i.fixed.floor.p99} ms | | p99 < 50 ms | ${ok(i.fixed.hub.p99 < 50 && i.fixed.hub.rps >= i.fixedRate * 0.95)} |`,
    `| delivery drain, ${r.drain.dispatches} queued dispatches, 3 sandbox portals | ${n0(r.drain.perSecond)} dispatches/s (${r.drain.delivered} delivered in ${r.drain.seconds.toFixed(1)} s after the worker was up) | | | ≥ 1,000/s | ${ok(r.drain.perSecond >= 1000)} |`,
    `| intake → registered at portal, ${r.endToEnd.offeredRate} req/s evenly paced | p50 ${r.endToEnd.p50} ms, p99 ${r.endToEnd.p99} ms (${r.endToEnd.registered}/${r.endToEnd.lodged} registered, ${r.endToEnd.duplicatesAtPortals} duplicates) | | | p99 < 1 s | ${ok(r.endToEnd.p99 < 1000)} |`,
    `| RSS, api under intake load | ${n0(r.memory.apiPeakMb)} MB peak | | | < 300 MB | ${ok(r.memory.apiPeakMb < 300)} |`,
    `| RSS, worker during drain + steady load | ${n0(r.memory.workerPeakMb)} MB peak | | | < 300 MB | ${ok(r.memory.workerPeakMb < 300)} |`,
    `| RSS during status ingest (api / worker) | ${n0(r.memory.duringStatus.api)} / ${n0(r.memory.duringStatus.worker)} MB peak | | | < 300 MB | ${ok(r.memory.duringStatus.api < 300 && r.memory.duringStatus.worker < 300)} |`,
    `| status ingest, ${r.status.events} events in signed batches of ≤ 500, 4 connections | ${n0(r.status.appliedPerSecond)} events/s applied (${r.status.applied}/${r.status.events} in ${r.status.appliedSeconds.toFixed(1)} s; stored over HTTP at ${n0(r.status.storedPerSecond)}/s; CPU per event: worker ${r.status.cpuMsPerEvent?.worker?.toFixed(2) ?? 'n/a'} ms, api ${r.status.cpuMsPerEvent?.api?.toFixed(2) ?? 'n/a'} ms) | raw multi-row INSERT of the same rows ${n0(r.statusReference.rowsPerSecond)}/s | ${pct(r.status.ratio)} | ≥ 5,000 events/s applied | ${ok(r.status.appliedPerSecond >= 5000)} |`,
    '',
    'Rounds (floor, bare Node, hub alternated, each ' +
      `${r.settings.seconds} s): ` +
      i.floor.rounds
        .map(
          (f, k) =>
            `floor ${n0(f.rps)} / bare ${n0(i.bareFloor.rounds[k].rps)} / hub ${n0(i.hub.rounds[k].rps)}`,
        )
        .join('; ') +
      ' req/s.',
    '',
    END,
  ];
  return lines.join('\n');
}

export function writeReport(results) {
  const file = join(ROOT, 'docs', 'benchmarks.md');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const section = renderReport(results);
  const start = current.indexOf(START.slice(0, 24));
  const end = current.indexOf(END);
  const next =
    start >= 0 && end > start
      ? `${current.slice(0, start)}${section}${current.slice(end + END.length)}`
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}
