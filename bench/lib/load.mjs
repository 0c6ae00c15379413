// Load generation (autocannon, keep-alive) and the database's own commit rate.
import { Agent, request } from 'node:http';
import autocannon from 'autocannon';
import pg from 'pg';
import { grievanceBody, open311Form } from './bodies.mjs';
import { percentile } from './infra.mjs';

/**
 * POSTs distinct realistic grievances; `rate` caps req/s overall, `amount` stops after N requests.
 * With `open311Key`, the same grievances as Open311 forms (POST /open311/v2/requests.json).
 */
export async function intakeLoad(url, { seconds, connections = 40, rate, amount, open311Key }) {
  const post = open311Key
    ? {
        path: '/open311/v2/requests.json',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        setupRequest: (req) => ({ ...req, body: open311Form(open311Key) }),
      }
    : {
        path: '/api/v1/complaints',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: JSON.stringify(grievanceBody()) }),
      };
  const result = await autocannon({
    url,
    connections,
    pipelining: 1,
    ...(amount ? { amount } : { duration: seconds }),
    ...(rate ? { overallRate: rate } : {}),
    requests: [{ method: 'POST', ...post }],
  });
  return {
    rps: result.requests.average,
    total: result.requests.total,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    seconds: result.duration,
  };
}

/**
 * Open-loop load at an even `rate` (req/s) for `seconds`: request i is due at start + i / rate and
 * its latency runs from when it was due, so a stalled server cannot hide its queue (no coordinated
 * omission). autocannon's `overallRate` is not this: each connection sends its per-second quota
 * back to back when the second starts, so "500 req/s over 50 connections" is 50 concurrent
 * connections at full speed for part of every second.
 */
export async function pacedLoad(url, { rate, seconds, maxSockets = 100 }) {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const target = new URL('/api/v1/complaints', url);
  const total = Math.round(rate * seconds);
  const latencies = [];
  let non2xx = 0;
  let errors = 0;
  const send = (dueAt) =>
    new Promise((resolve) => {
      const body = JSON.stringify(grievanceBody());
      const req = request(
        target,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode >= 200 && res.statusCode < 300)
              latencies.push(performance.now() - dueAt);
            else non2xx += 1;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors += 1;
        resolve();
      });
      req.end(body);
    });
  const started = performance.now();
  const inFlight = [];
  for (let i = 0; i < total;) {
    const now = performance.now();
    for (; i < total && started + (i * 1000) / rate <= now; i++)
      inFlight.push(send(started + (i * 1000) / rate));
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (p) => Math.round(percentile(latencies, p));
  return {
    rps: latencies.length / elapsed,
    total: latencies.length,
    non2xx,
    errors,
    p50: at(50),
    p99: at(99),
    max: Math.round(latencies.at(-1) ?? 0),
    seconds: elapsed,
  };
}

/** Single-row INSERT … autocommit from `clients` connections: the database's commit ceiling. */
export async function commitRate(databaseUrl, { seconds, clients = 20 }) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: clients });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_commit (id bigserial PRIMARY KEY, v text NOT NULL)',
  );
  let count = 0;
  const deadline = Date.now() + seconds * 1000;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const client = await pool.connect();
      try {
        while (Date.now() < deadline) {
          await client.query('INSERT INTO bench_commit (v) VALUES ($1)', ['grievance']);
          count += 1;
        }
      } finally {
        client.release();
      }
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  await pool.query('DROP TABLE bench_commit');
  await pool.end();
  return { commitsPerSecond: count / elapsed };
}
