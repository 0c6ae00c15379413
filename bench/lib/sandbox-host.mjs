// Runs the sandbox portals in a process of their own: `node sandbox-host.mjs '<json>'` where the
// JSON is [{ code, kind, port, credential }]. Needs `npm run build` (dist/adapters).
import { join } from 'node:path';
import { ROOT } from './infra.mjs';

const { startSandbox } = await import(join(ROOT, 'dist', 'adapters', 'sandboxes.js'));
const portals = JSON.parse(process.argv[2]);
const started = [];
for (const p of portals) {
  started.push(
    await startSandbox(p.kind, {
      port: p.port,
      host: '127.0.0.1',
      credential: p.credential,
      officerStepMs: p.officerStepMs ?? 0,
    }),
  );
  process.stdout.write(`sandbox ${p.code} (${p.kind}) on ${p.port}\n`);
}
const stop = async () => {
  await Promise.all(started.map((s) => s.close()));
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
