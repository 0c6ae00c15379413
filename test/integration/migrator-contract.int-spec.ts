import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { contractMode, migrate, readMigrations } from '../../src/platform/database/migrator';
import type { MigrationFile } from '../../src/platform/database/migrator';
import { adminQuery, databaseUrl } from '../support/database';

const file = (name: string, sql: string): MigrationFile => ({
  name,
  sql,
  checksum: name,
  noTransaction: false,
  contract: /^-- hub:contract$/m.test(sql),
});
const EXPAND = file('20990101000000_expand', 'CREATE TABLE t (a int, b int);');
const CONTRACT = file('20990101000100_contract', '-- hub:contract\nALTER TABLE t DROP COLUMN a;');
const LATER = file('20990101000200_later', 'CREATE TABLE u (c int);');

/**
 * Expand/contract (review finding: dropping what an older hub still names broke its deliveries
 * during a rolling deploy): in hold mode a database that already had migrations keeps its
 * contract migrations, and every later one, for `npm run migrate -- --contract`.
 */
describe('migrator: contract migrations wait for the rollout', () => {
  const names: string[] = [];
  const fresh = async () => {
    const name = `hub_test_contract_${randomBytes(4).toString('hex')}`;
    names.push(name);
    await adminQuery(`CREATE DATABASE ${name}`);
    return databaseUrl(name);
  };
  const columns = async (url: string) => {
    const db = new Client({ connectionString: url });
    await db.connect();
    try {
      const { rows } = await db.query<{ c: string }>(
        `SELECT table_name || '.' || column_name AS c FROM information_schema.columns
         WHERE table_name IN ('t', 'u') ORDER BY 1`,
      );
      return rows.map((r) => r.c);
    } finally {
      await db.end();
    }
  };
  afterAll(async () => {
    for (const name of names) await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it('holds a contract migration and the ones after it on a database that had migrations', async () => {
    const url = await fresh();
    await migrate(url, [EXPAND], { contract: 'hold' });
    const report = await migrate(url, [EXPAND, CONTRACT, LATER], { contract: 'hold' });
    expect(report).toEqual({
      applied: [],
      alreadyApplied: [EXPAND.name],
      held: [CONTRACT.name, LATER.name],
    });
    expect(await columns(url)).toEqual(['t.a', 't.b']);
    // After the rollout: --contract.
    const contracted = await migrate(url, [EXPAND, CONTRACT, LATER], { contract: 'apply' });
    expect(contracted.applied).toEqual([CONTRACT.name, LATER.name]);
    expect(await columns(url)).toEqual(['t.b', 'u.c']);
  });

  it('applies everything to a new database: nothing older can be running against it', async () => {
    const url = await fresh();
    const report = await migrate(url, [EXPAND, CONTRACT, LATER], { contract: 'hold' });
    expect(report.applied).toEqual([EXPAND.name, CONTRACT.name, LATER.name]);
    expect(report.held).toEqual([]);
  });

  it('reads the flag from the header, and holds only in production without --contract', () => {
    const contracts = readMigrations()
      .filter((m) => m.contract)
      .map((m) => m.name);
    expect(contracts).toEqual([
      '20261130030000_inbound_events_partition_by_month',
      '20261130030100_complaints_transferred_at_contract',
      '20261130030200_complaints_appealed_idx_contract',
    ]);
    // Both flags on one header: DROP INDEX CONCURRENTLY runs outside a transaction.
    const drop = readMigrations().find((m) => m.name.endsWith('_appealed_idx_contract'));
    expect(drop).toMatchObject({ contract: true, noTransaction: true });
    expect(contractMode({ nodeEnv: 'production' })).toBe('hold');
    expect(contractMode({ nodeEnv: 'production' }, true)).toBe('apply');
    expect(contractMode({ nodeEnv: 'development' })).toBe('apply');
  });
});
