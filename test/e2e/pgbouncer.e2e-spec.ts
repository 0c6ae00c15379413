import { Logger } from '@nestjs/common';
import type { Worker } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DispatchProcessor } from '../../src/dispatch/dispatch.processor';
import { migrate, readMigrations } from '../../src/platform/database/migrator';
import { prepared } from '../../src/platform/database/prepared';
import { PrismaService } from '../../src/platform/database/prisma.service';
import { SLA_REMINDER, SlaActionsRepository } from '../../src/sla/sla-actions.repository';
import { adminQuery, createTestDatabase, databaseUrl } from '../support/database';
import { lodgeDispatch } from '../support/delivery';
import { dispatchJob } from '../support/dispatch-attempt';
import { lucknowStreetlight } from '../support/fixtures';
import { startPgBouncer, type PgBouncer } from '../support/pgbouncer';
import { DAY_MS, insertGrievance } from '../support/staff-fixtures';
import { lodgeDelivered, settled, signedPush, waitForStatus } from '../support/status-sync';
import { startTestHub, type TestHub } from '../support/test-hub';
import { waitFor } from '../support/wait';

const POOL_SIZE = 3;

/**
 * The hub through PgBouncer in transaction pooling mode, the way hundreds of api and worker
 * processes share one PostgreSQL: each transaction may run on another server connection, so
 * nothing may rest on session state (startup options, SET, session advisory locks, LISTEN,
 * named prepared statements — Debian's pgbouncer 1.18 cannot carry those across: the hub's
 * prepared hot statements fall back to unnamed at the first sign, below).
 */
describe('through PgBouncer (transaction pooling)', () => {
  let bouncer: PgBouncer;
  let hub: TestHub;
  beforeAll(async () => {
    bouncer = await startPgBouncer({ poolSize: POOL_SIZE });
    // As docs/deploying.md says for a PgBouncer before 1.21 in transaction mode.
    hub = await startTestHub({
      databaseUrl: (url) => bouncer.via(url),
      pooler: true,
      env: { DATABASE_PREPARED_STATEMENTS: 'false' },
    });
  });
  afterAll(async () => {
    await hub?.close();
    await bouncer?.stop();
  });

  afterEach(() => jest.restoreAllMocks());

  const up = () => hub.sandboxes['UP-IGRS'];

  it('lodges, delivers and applies status pushes, with more clients than server connections', async () => {
    // PgBouncer 1.18 cannot keep a named prepared statement for the next transaction: with
    // DATABASE_PREPARED_STATEMENTS=false every statement on these paths is unnamed.
    const named: string[] = [];
    const original = Client.prototype.query as (...args: unknown[]) => unknown;
    jest.spyOn(Client.prototype, 'query').mockImplementation(function (
      this: Client,
      ...args: unknown[]
    ) {
      const config = args[0] as { name?: unknown } | null;
      if (config && typeof config === 'object' && config.name) named.push(String(config.name));
      return original.apply(this, args);
    } as never);
    const lodged = await Promise.all(
      Array.from({ length: 6 }, () => lodgeDelivered(hub, lucknowStreetlight())),
    );
    for (const c of lodged) {
      expect(
        (await up().pushChanges(up().recordStatus(c.externalRef, 'Prakriyadheen'))).status,
      ).toBe(202);
      const done = up().recordStatus(c.externalRef, 'Nistarit', { remarks: 'Lights repaired' });
      expect((await up().pushChanges(done)).status).toBe(202);
    }
    for (const c of lodged) {
      const view = await waitForStatus(hub, c, 'RESOLVED');
      expect(view.timeline.map((e) => e.status)).toEqual([
        'RECEIVED',
        'ROUTED',
        'DELIVERED',
        'IN_PROGRESS',
        'RESOLVED',
      ]);
    }
    expect(named).toEqual([]);

    // It really goes through the pooler: more of the hub's connections than server connections,
    // each answering.
    const held = await Promise.all(
      Array.from({ length: POOL_SIZE + 3 }, () => hub.prisma.pool.connect()),
    );
    try {
      const answers = await Promise.all(
        held.map((c) => c.query<{ one: number }>('SELECT 1 AS one')),
      );
      expect(answers.map((a) => a.rows[0].one)).toEqual(Array(POOL_SIZE + 3).fill(1));
      const db = new URL(hub.prisma.pool.options.connectionString!).pathname.slice(1);
      const ofHub = <R extends { database: string }>(rows: R[]) =>
        rows.filter((r) => r.database === db);
      expect(ofHub(await bouncer.show('CLIENTS')).length).toBeGreaterThanOrEqual(POOL_SIZE + 3);
      expect(ofHub(await bouncer.show('SERVERS')).length).toBeLessThanOrEqual(POOL_SIZE);
      const [pool] = ofHub(await bouncer.show<{ database: string; pool_mode: string }>('POOLS'));
      expect(pool.pool_mode).toBe('transaction');
    } finally {
      for (const c of held) c.release();
    }
  });

  it('delivers once when several attempts at one dispatch race (claim fencing)', async () => {
    const { dispatchId } = await lodgeDispatch(hub);
    const processor = hub.app.get(DispatchProcessor);
    await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        processor
          .process(dispatchJob(dispatchId, 0, `race-${i}`), undefined as unknown as Worker)
          .catch((e: Error) => e),
      ),
    );
    await waitFor(
      async () =>
        (await hub.prisma.dispatch.findUniqueOrThrow({ where: { id: dispatchId } })).status ===
        'DELIVERED',
      { what: 'the dispatch to be delivered' },
    );
    expect(up().countByClientRef(dispatchId)).toBe(1);
  });

  it('applies a status batch pushed twice at once exactly once', async () => {
    const lodged = await Promise.all(
      Array.from({ length: 4 }, () => lodgeDelivered(hub, lucknowStreetlight())),
    );
    const base = Date.now();
    const tag = randomBytes(3).toString('hex');
    const events = lodged.flatMap((c, g) => [
      {
        eventId: `pgb-${tag}-${g}-1`,
        externalRef: c.externalRef,
        status: 'Prakriyadheen',
        occurredAt: new Date(base + 1_000).toISOString(),
      },
      {
        eventId: `pgb-${tag}-${g}-2`,
        externalRef: c.externalRef,
        status: 'Nistarit',
        remarks: 'Checked on site',
        occurredAt: new Date(base + 2_000).toISOString(),
      },
    ]);
    const [a, b] = await Promise.all([
      signedPush(hub, 'UP-IGRS', { events }),
      signedPush(hub, 'UP-IGRS', { events: [...events].reverse() }),
    ]);
    // Each event accepted by exactly one of the two requests, a duplicate in the other.
    expect(a.body.accepted + b.body.accepted).toBe(events.length);
    expect(a.body.duplicates + b.body.duplicates).toBe(events.length);
    await settled(hub);
    for (const c of lodged) {
      const view = await waitForStatus(hub, c, 'RESOLVED');
      expect(view.timeline.map((e) => e.status)).toEqual([
        'RECEIVED',
        'ROUTED',
        'DELIVERED',
        'IN_PROGRESS',
        'RESOLVED',
      ]);
    }
    expect(
      await hub.prisma.inboundEvent.count({ where: { eventId: { startsWith: `pgb-${tag}-` } } }),
    ).toBe(events.length);
  });

  it('claims an SLA level once when several scans claim it at the same time', async () => {
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY_MS);
    const g = await insertGrievance(hub, {
      createdAt: at(22),
      deliveredAt: at(22),
      slaDueAt: at(1),
    });
    const repository = hub.app.get(SlaActionsRepository);
    const claimed = await Promise.all(
      Array.from({ length: 6 }, () =>
        repository.claim({
          complaintId: g.id,
          level: 'breach',
          final: true,
          portalCode: 'CPGRAMS',
          timelineRemarks: 'SLA breached: no redressal within 21 days',
          reminder: {
            outcome: 'queued',
            dispatchId: g.dispatchId,
            correlationId: `sla-breach-${g.id}`,
          },
        }),
      ),
    );
    expect(claimed.filter(Boolean)).toHaveLength(1);
    expect(await hub.prisma.slaAction.count({ where: { complaintId: g.id } })).toBe(1);
    expect(
      await hub.prisma.portalRequest.count({ where: { complaintId: g.id, kind: SLA_REMINDER } }),
    ).toBe(1);
  });

  it('sends its prepared statements unnamed once the pooler loses one, answering every call', async () => {
    const db = await createTestDatabase();
    const prisma = new PrismaService(bouncer.via(db.url), { genericPlans: false });
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const statement = prepared('SELECT $1::int * 2 AS n');
      // Many at once and again, over every server connection of the pool: pgbouncer 1.18 keeps
      // a statement prepared only on the server connection that parsed it.
      for (let round = 0; round < 3; round++) {
        const rows = await Promise.all(
          Array.from({ length: 12 }, (_, i) => prisma.sql<{ n: number }>(statement, [i])),
        );
        expect(rows.map((r) => r.rows[0].n)).toEqual(Array.from({ length: 12 }, (_, i) => i * 2));
      }
      const said = warn.mock.calls.filter(([, msg]) =>
        String(msg).includes('does not keep prepared statements'),
      );
      expect(said).toHaveLength(1);
    } finally {
      await prisma.onApplicationShutdown();
      await db.drop();
    }
  });

  it('keeps its sessions in UTC on a database whose zone is IST', async () => {
    const db = await createTestDatabase();
    await adminQuery(`ALTER DATABASE ${db.name} SET timezone TO 'Asia/Kolkata'`);
    const prisma = new PrismaService(bouncer.via(db.url), { genericPlans: false });
    try {
      const at = new Date('2026-11-24T10:00:00.000Z');
      // Many at once, so they spread over every server connection of the pool.
      const rows = await Promise.all(
        Array.from(
          { length: 12 },
          () =>
            prisma.$queryRaw<{ same: boolean }[]>`
            SELECT ${at}::timestamptz = '2026-11-24T10:00:00Z'::timestamptz AS same`,
        ),
      );
      expect(rows.map(([r]) => r.same)).toEqual(Array(12).fill(true));
    } finally {
      await prisma.onApplicationShutdown();
      await db.drop();
    }
  });

  it('migrates an empty database through the pooler from two processes at once, leaving no lock', async () => {
    const name = `hub_test_pgb_${randomBytes(4).toString('hex')}`;
    await adminQuery(`CREATE DATABASE ${name}`);
    try {
      const reports = await Promise.all([
        migrate(bouncer.via(databaseUrl(name))),
        migrate(bouncer.via(databaseUrl(name))),
      ]);
      // Each migration applied once, by one of the two, in order (they may take turns).
      const all = readMigrations().map((m) => m.name);
      const applied = reports.flatMap((r) => r.applied).sort();
      expect(applied).toEqual(all);
      for (const r of reports) expect([...r.applied, ...r.alreadyApplied].sort()).toEqual(all);
      const direct = new Client({ connectionString: databaseUrl(name) });
      await direct.connect();
      try {
        const recorded = await direct.query<{ name: string }>(
          'SELECT name FROM _hub_migrations ORDER BY name',
        );
        expect(recorded.rows.map((r) => r.name)).toEqual(all);
        const { rows } = await direct.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
           WHERE l.locktype = 'advisory' AND d.datname = $1`,
          [name],
        );
        expect(rows[0].n).toBe(0);
      } finally {
        await direct.end();
      }
    } finally {
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });
});
