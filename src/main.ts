import 'reflect-metadata';
import { createHubApp } from './app.factory';
import { servedTools } from './app.module';
import { ConfigError, loadHubConfig } from './platform/config/load-config';
import { heldMessage, migrateHub } from './platform/database/migrator';
import { shutDownGracefully } from './platform/graceful-shutdown';
import { prepareInfrastructure } from './platform/dev-stack/dev-stack';
import { startSandboxPortals } from './portals/sandbox-portals';
import { RedisUnavailableError } from './platform/dev-stack/dev-redis';
import { RedisRequirementError } from './platform/health/redis-requirements';

async function main(): Promise<void> {
  const stack = await prepareInfrastructure(loadHubConfig());
  const { config } = stack;
  if (!config.env.databaseUrl)
    throw new ConfigError([
      { file: 'environment', path: 'DATABASE_URL', message: 'is required in production' },
    ]);
  const held = heldMessage(await migrateHub(config.env));
  const sandboxes = config.env.sandboxPortals ? await startSandboxPortals(config) : [];

  const app = await createHubApp(config);
  await app.listen(config.env.port, '0.0.0.0');
  const base = `http://localhost:${config.env.port}`;
  const served = servedTools(config);
  const hubCli = config.env.nodeEnv === 'production' ? 'npm run hub' : 'npm run hub:dev';
  const lines = [
    `Grievance hub is running (role: ${config.env.hubRole}, NODE_ENV=${config.env.nodeEnv})`,
    `  API        ${base}/api/v1/complaints`,
    ...(served.docs ? [`  Swagger    ${base}/docs`] : []),
    ...(served.dashboard
      ? [
          `  Dashboard  ${base}/dashboard  (staff; create a key: ${hubCli} -- api-key create --role admin --name you)`,
        ]
      : []),
    ...(served.queueBoard ? [`  Queues     ${base}/admin/queues  (admin key as password)`] : []),
    ...(served.metrics ? [`  Metrics    ${base}/metrics`] : []),
    ...sandboxes.map(
      (s, i) => `  Sandbox    ${config.portals[i].code.padEnd(16)} ${s.url}  (${s.portalKind})`,
    ),
    ...stack.notes.map((n) => `  ${n}`),
    ...(held ? [`  ${held}`] : []),
  ];
  process.stdout.write(`\n${lines.join('\n')}\n\n`);

  const shutdown = async () => {
    const clean = await shutDownGracefully(app, config.env.shutdownTimeoutMs);
    await Promise.all(sandboxes.map((s) => s.close()));
    await stack.stop();
    process.exit(clean ? 0 : 1);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((error: Error) => {
  // Configuration and infrastructure problems are the operator's to fix: say exactly what.
  const known =
    error instanceof ConfigError ||
    error instanceof RedisUnavailableError ||
    error instanceof RedisRequirementError;
  process.stderr.write(`\nThe hub could not start: ${known ? error.message : error.stack}\n`);
  process.exit(1);
});
