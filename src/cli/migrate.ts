import { loadHubConfig } from '../platform/config/load-config';
import { heldMessage, migrateHub } from '../platform/database/migrator';

/**
 * `npm run migrate`: applies pending migrations (production deploy step) on DIRECT_DATABASE_URL,
 * the primary without PgBouncer, when set; else on DATABASE_URL. In production a contract
 * migration (it removes what an older version still uses) waits for
 * `npm run migrate -- --contract`, run once the rollout is done.
 */
async function main(): Promise<void> {
  const { env } = loadHubConfig();
  const report = await migrateHub(env, { contract: process.argv.includes('--contract') });
  console.log(JSON.stringify({ msg: 'migrations done', ...report }));
  const held = heldMessage(report);
  if (held) console.log(JSON.stringify({ msg: held, held: report.held }));
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
