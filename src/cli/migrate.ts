import { loadHubConfig } from '../platform/config/load-config';
import { migrate, migrationDatabaseUrl } from '../platform/database/migrator';

/**
 * `npm run migrate`: applies pending migrations (production deploy step) on DIRECT_DATABASE_URL,
 * the primary without PgBouncer, when set; else on DATABASE_URL.
 */
async function main(): Promise<void> {
  const { env } = loadHubConfig();
  const url = migrationDatabaseUrl(env);
  if (!url) throw new Error('DATABASE_URL must be set to migrate');
  const report = await migrate(url);
  console.log(JSON.stringify({ msg: 'migrations done', ...report }));
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
