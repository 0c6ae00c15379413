import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { hasLiveJob, withoutLiveJob } from '../../src/platform/queue/live-job';
import { openQueue } from '../../src/platform/queue/open-queue';
import { RowRelay, type RelaySource, type WaitingRow } from '../../src/platform/queue/row-relay';
import { useMedium } from '../support/medium';

/**
 * Medium tier: the relay every table waiting for a queue shares (platform/queue/row-relay), on
 * a table of the test's own, so that what is checked is the platform's part alone: the feature
 * supplies only its SQL and its queue.
 */
describe('shared row relay', () => {
  const medium = useMedium();
  let queue: Queue<WaitingRow>;
  const jobId = (id: string) => `row-${id}`;

  beforeAll(async () => {
    queue = openQueue<WaitingRow>(medium.config.env, 'row-relay-test');
    medium.onClose(() => queue.close());
    await medium.prisma.$executeRawUnsafe(`
      CREATE TABLE relay_rows (
        id uuid PRIMARY KEY, state text NOT NULL DEFAULT 'PENDING', correlation_id text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(), queued_at timestamptz(3))`);
  });
  beforeEach(async () => {
    await medium.prisma.$executeRawUnsafe('TRUNCATE relay_rows');
    await queue.obliterate({ force: true });
  });

  /** The feature's side: its table's SQL and its queue, with deterministic job ids. */
  function source(overrides: Partial<RelaySource> = {}): RelaySource {
    return {
      table: 'relay_rows',
      pending: `state = 'PENDING'`,
      order: 'created_at',
      columns: 'correlation_id AS "correlationId"',
      batch: 2,
      add: async (rows) => {
        await queue.addBulk(
          rows.map((r) => ({ name: 'row', data: r, opts: { jobId: jobId(r.id) } })),
        );
      },
      withoutLiveJob: (rows) => withoutLiveJob(rows, (r) => hasLiveJob(queue, jobId(r.id))),
      ...overrides,
    };
  }

  /** Rows one minute apart, oldest first; `queuedAt` as given (null: still to queue). */
  async function rows(n: number, queuedAt: Date | null = null): Promise<string[]> {
    const ids = Array.from({ length: n }, () => randomUUID());
    for (const [i, id] of ids.entries())
      await medium.prisma.$executeRaw`
        INSERT INTO relay_rows (id, correlation_id, created_at, queued_at)
        VALUES (${id}::uuid, ${`cid-${i}`}, now() - make_interval(mins => ${n - i}::int), ${queuedAt}::timestamptz)`;
    return ids;
  }

  const unqueued = async () => {
    const [{ n }] = await medium.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM relay_rows WHERE queued_at IS NULL`;
    return n;
  };
  const jobIds = async () =>
    (await queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed']))
      .map((j) => j.id)
      .sort();

  it('queues each row once, in batches, with its job id and correlation id', async () => {
    const ids = await rows(5);
    const relay = new RowRelay(medium.prisma, [source()]);

    expect(await relay.drain()).toBe(5);
    expect(await jobIds()).toEqual(ids.map(jobId).sort());
    expect((await queue.getJob(jobId(ids[0])))?.data).toEqual({
      id: ids[0],
      correlationId: 'cid-0',
    });
    expect(await unqueued()).toBe(0);
    // Nothing left: the next pass queues nothing.
    expect(await relay.drain()).toBe(0);
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 5 });
  });

  it('after a relay dies between adding the jobs and its commit, the row is queued again under the same job id: one job', async () => {
    const [id] = await rows(1);
    let added = 0;
    const dying = source({
      add: async (r) => {
        await source().add(r);
        added += r.length;
        throw new Error('relay process killed before the commit');
      },
    });
    await expect(new RowRelay(medium.prisma, [dying]).drain()).rejects.toThrow('killed');
    expect(added).toBe(1);
    // The mark went with the transaction: PostgreSQL still says the row waits.
    expect(await unqueued()).toBe(1);

    expect(await new RowRelay(medium.prisma, [source()]).drain()).toBe(1);
    expect(await unqueued()).toBe(0);
    expect(await jobIds()).toEqual([jobId(id)]);
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
  });

  it('leaves alone rows that no longer need a job', async () => {
    await rows(2);
    await medium.prisma.$executeRaw`UPDATE relay_rows SET state = 'SENT'`;
    expect(await new RowRelay(medium.prisma, [source()]).drain()).toBe(0);
    expect(await jobIds()).toEqual([]);
  });

  it('the sweep goes on past a page of live jobs to a lost one behind them, and re-queues it once', async () => {
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    const ids = await rows(3, tenMinutesAgo);
    const [live1, live2, lost] = ids;
    await source().add([
      { id: live1, correlationId: 'cid-0' },
      { id: live2, correlationId: 'cid-1' },
    ]);
    const relay = new RowRelay(medium.prisma, [source()]);

    // One page of two per sweep: the first page holds only live jobs; the next reaches the lost one.
    expect(await relay.sweep(60_000, 2, 1)).toBe(0);
    expect(await relay.sweep(60_000, 2, 1)).toBe(1);
    expect((await queue.getJob(jobId(lost)))?.data).toEqual({ id: lost, correlationId: 'cid-2' });
    // Its job waits now: a full sweep finds nothing more to do.
    expect(await relay.sweep(60_000, 2, 5)).toBe(0);
    expect(await jobIds()).toEqual(ids.map(jobId).sort());
  });

  it('the sweep leaves a recently queued row to its job', async () => {
    await rows(1, new Date());
    expect(await new RowRelay(medium.prisma, [source()]).sweep()).toBe(0);
    expect(await jobIds()).toEqual([]);
  });
});
