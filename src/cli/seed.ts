import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { SlaRollupService } from '../sla/sla-rollup.service';
import { withHub } from './cli-context';
import { seedGrievances } from './synthetic-grievances';

/**
 * `npm run seed -- --count 1000000 [--days 730]`: synthetic grievances with realistic
 * lifecycles, in bulk SQL, then the SLA rollup rebuilt and the tables analysed.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '100000' },
      days: { type: 'string', default: '730' },
    },
  });
  const count = Number(values.count);
  const days = Number(values.days);
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(days) || days < 1)
    throw new Error('--count and --days must be positive whole numbers');

  await withHub(async (app, config) => {
    const db = new Client({ connectionString: config.env.databaseUrl ?? undefined });
    await db.connect();
    try {
      const started = Date.now();
      const { inserted, bulk } = await seedGrievances(db, config, {
        count,
        days,
        onProgress: (n) =>
          process.stderr.write(
            `inserted ${n} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
          ),
      });
      const insertSeconds = (Date.now() - started) / 1000;
      const rollupStarted = Date.now();
      await app.get(SlaRollupService).rebuild();
      const rollupSeconds = (Date.now() - rollupStarted) / 1000;
      // Index-only scans of the open-grievance index need a current visibility map.
      await db.query('VACUUM (ANALYZE) complaints');
      await db.query('VACUUM (ANALYZE) dispatches');
      await db.query('ANALYZE sla_rollup, sla_rollup_filters, sla_rollup_districts');
      process.stdout.write(
        `${JSON.stringify({ inserted, bulk, insertSeconds, rowsPerMinute: Math.round((inserted / insertSeconds) * 60), rollupSeconds })}\n`,
      );
    } finally {
      await db.end();
    }
  });
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
