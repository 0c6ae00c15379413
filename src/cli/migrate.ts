import { loadHubConfig } from '../platform/config/load-config';
import { migrate } from '../platform/database/migrator';

/** `npm run migrate`: applies pending migrations to DATABASE_URL (production deploy step). */
async function main(): Promise<void> {
  const { env } = loadHubConfig();
  if (!env.databaseUrl) throw new Error('DATABASE_URL must be set to migrate');
  const report = await migrate(env.databaseUrl);
  console.log(JSON.stringify({ msg: 'migrations done', ...report }));
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
