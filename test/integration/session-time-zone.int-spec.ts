import { Logger } from '@nestjs/common';
import { prepared } from '../../src/platform/database/prepared';
import { PrismaService } from '../../src/platform/database/prisma.service';
import { adminQuery, createTestDatabase, type TestDatabase } from '../support/database';

/**
 * A server or database whose default time zone is not UTC (an Indian deployment may well set
 * Asia/Kolkata) must not change what the hub stores or compares. Prisma passes Dates without an
 * offset, so in an IST session every instant it writes would land 5.5 hours early against
 * now() and every SQL-side time. The hub pins its sessions to UTC.
 */
describe('database sessions', () => {
  let db: TestDatabase;
  let prisma: PrismaService;
  beforeAll(async () => {
    db = await createTestDatabase();
    await adminQuery(`ALTER DATABASE ${db.name} SET timezone TO 'Asia/Kolkata'`);
    prisma = new PrismaService(db.url);
  });
  afterAll(async () => {
    await prisma.onApplicationShutdown();
    await db.drop();
  });

  const at = new Date('2026-11-24T10:00:00.000Z');

  it('read a timestamp parameter as the instant it is, on a database whose zone is IST', async () => {
    const [viaPrisma] = await prisma.$queryRaw<{ t: Date }[]>`SELECT ${at}::timestamptz AS t`;
    expect(viaPrisma.t.toISOString()).toBe(at.toISOString());
    const { rows } = await prisma.sql<{ t: Date }>('SELECT $1::timestamptz AS t', [at]);
    expect(rows[0].t.toISOString()).toBe(at.toISOString());
  });

  it('store and find an instant through the query builder', async () => {
    const key = await prisma.apiKey.create({
      data: {
        name: 'tz',
        role: 'staff',
        keyHash: `tz-${Date.now()}`,
        prefix: 'ghk_tz',
        lastUsedAt: at,
      },
    });
    const [raw] = await prisma.$queryRaw<{ t: Date }[]>`
      SELECT last_used_at AS t FROM api_keys WHERE id = ${key.id}::uuid`;
    expect(raw.t.toISOString()).toBe(at.toISOString());
    expect(
      await prisma.apiKey.count({ where: { id: key.id, lastUsedAt: { gte: at, lte: at } } }),
    ).toBe(1);
    // The keyset form the sweeps and pages use: a row comparison with an uncast parameter.
    const [page] = await prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM api_keys
      WHERE id = ${key.id}::uuid AND (last_used_at, id) >= (${at}, ${key.id}::uuid)
        AND last_used_at < ${new Date(at.getTime() + 1)}`;
    expect(page.n).toBe(1);
  });

  it('write the instant a Date stands for, as PostgreSQL itself reads it', async () => {
    // Prisma sends Dates without an offset and reads them back the same way, so a round trip
    // looks right in any zone; only SQL's own view of the value shows a shift.
    const [row] = await prisma.$queryRaw<{ same: boolean }[]>`
      SELECT ${at}::timestamptz = '2026-11-24T10:00:00Z'::timestamptz AS same`;
    expect(row.same).toBe(true); // false in an IST session: 10:00 IST is 04:30 UTC
    const [{ zone }] = await prisma.$queryRaw<{ zone: string }[]>`
      SELECT current_setting('TimeZone') AS zone`;
    expect(zone).toBe('UTC');
  });

  it('keep a hot statement prepared on the connection, unless told not to', async () => {
    const statement = prepared('SELECT $1::int + 1 AS n');
    const named = async (p: PrismaService) => {
      // One at a time: the pool hands the same idle connection back (LIFO).
      expect((await p.sql<{ n: number }>(statement, [41])).rows).toEqual([{ n: 42 }]);
      // Prepared too: on the hot statements' own connections.
      const { rows } = await p.sql<{ name: string }>(
        prepared('SELECT name FROM pg_prepared_statements WHERE name = $1'),
        [statement.name],
      );
      return rows.length;
    };
    expect(await named(prisma)).toBe(1);
    const unnamed = new PrismaService(db.url, { preparedStatements: false });
    try {
      expect(await named(unnamed)).toBe(0);
    } finally {
      await unnamed.onApplicationShutdown();
    }
  });

  it('run hot statements on generic plans, and nothing else, unless behind a pooler', async () => {
    const mode = 'SELECT current_setting($1) AS mode';
    const hot = async (p: PrismaService) =>
      (await p.sql<{ mode: string }>(prepared(mode), ['plan_cache_mode'])).rows[0].mode;
    expect(await hot(prisma)).toBe('force_generic_plan');
    // Prisma's queries and the unnamed statements keep PostgreSQL's choice.
    expect((await prisma.sql<{ mode: string }>(mode, ['plan_cache_mode'])).rows[0].mode).toBe(
      'auto',
    );
    const [{ mode: orm }] = await prisma.$queryRaw<{ mode: string }[]>`
      SELECT current_setting('plan_cache_mode') AS mode`;
    expect(orm).toBe('auto');
    const pooled = new PrismaService(db.url, { genericPlans: false });
    try {
      expect(await hot(pooled)).toBe('auto');
    } finally {
      await pooled.onApplicationShutdown();
    }
  });

  it('answers a statement a migration outdated unnamed, warning once, and accuses no pooler', async () => {
    // A direct connection (no pooler): the hot connections set plan_cache_mode. A migration that
    // changes a returned column's type makes PostgreSQL refuse the prepared plan ("cached plan
    // must not change result type"), which is not a pooler losing a statement.
    const direct = new PrismaService(db.url);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      await direct.sql('CREATE TABLE outdated (n int)', []);
      await direct.sql('INSERT INTO outdated VALUES (41)', []);
      const statement = prepared('SELECT n FROM outdated');
      expect((await direct.sql(statement, [])).rows).toEqual([{ n: 41 }]);
      await direct.sql('ALTER TABLE outdated ALTER COLUMN n TYPE text', []);
      expect((await direct.sql(statement, [])).rows).toEqual([{ n: '41' }]);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(error).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      error.mockRestore();
      await direct.onApplicationShutdown();
    }
  });
});
