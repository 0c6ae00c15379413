import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { startSandbox, type SandboxPortal } from '../../adapters/sandboxes';
import type { HubConfig } from '../platform/config/hub-config';
import { repoRoot } from '../platform/paths';

// The development stack's portals (`npm start`): platform/dev-stack provides PostgreSQL, Redis and
// keys, and knows no portal; the portals feature starts their sandboxes.

/**
 * How many reference numbers each portal may already have handed out to this database: one per
 * dispatch and per appeal or reminder at most. A sandbox starts numbering above it, so a fresh
 * checkout (no .data) against a database kept from another never repeats a number.
 */
async function numbersTaken(databaseUrl: string | null): Promise<Map<string, number>> {
  if (!databaseUrl) return new Map();
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ portal: string; n: number }>(
      `SELECT portal_code AS portal, count(*)::int AS n FROM (
         SELECT portal_code FROM dispatches UNION ALL SELECT portal_code FROM portal_requests
       ) t GROUP BY portal_code`,
    );
    return new Map(rows.map((r) => [r.portal, r.n]));
  } finally {
    await db.end();
  }
}

/**
 * The sandbox portals listen where config/portals.yaml points the adapters. Their officers move
 * grievances every SANDBOX_OFFICER_STEP_MS; push portals sign and push each change to the hub.
 */
export async function startSandboxPortals(config: HubConfig): Promise<SandboxPortal[]> {
  const taken = await numbersTaken(config.env.databaseUrl);
  const hubUrl = `http://127.0.0.1:${config.env.port}`;
  mkdirSync(join(repoRoot(), '.data'), { recursive: true });
  return Promise.all(
    config.portals.map((portal) => {
      const url = new URL(portal.baseUrl);
      const pushes = portal.mode === 'push' && portal.webhookSecret;
      return startSandbox(portal.kind, {
        host: url.hostname,
        port: Number(url.port),
        credential: portal.credential ?? undefined,
        portalOptions: portal.options,
        officerStepMs: config.env.sandboxOfficerStepMs,
        serialFile: join(repoRoot(), '.data', `sandbox-${portal.code}.serial`),
        serialFloor: taken.get(portal.code) ?? 0,
        push: pushes
          ? { hubUrl, portalCode: portal.code, secret: portal.webhookSecret!, auto: true }
          : null,
      });
    }),
  );
}
