// Load generation (autocannon, keep-alive) and the database's own commit rate.
import autocannon from 'autocannon';
import pg from 'pg';
import { grievanceBody } from './bodies.mjs';

/** POSTs distinct realistic grievances; `rate` caps req/s overall, `amount` stops after N requests. */
export async function intakeLoad(url, { seconds, connections = 40, rate, amount }) {
  const result = await autocannon({
    url,
    connections,
    pipelining: 1,
    ...(amount ? { amount } : { duration: seconds }),
    ...(rate ? { overallRate: rate } : {}),
    requests: [
      {
        method: 'POST',
        path: '/api/v1/complaints',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: JSON.stringify(grievanceBody()) }),
      },
    ],
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
