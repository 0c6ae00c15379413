import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { repoRoot } from '../../src/platform/paths';
import { lifecycleWrites, lifecycleWritesOutsideOwner } from '../support/lifecycle-writes';

// One owner for the lifecycle (docs/architecture.md#modules, issue 13 §1): only src/lifecycle/
// changes a complaint's status, writes its timeline and queues the notification of a change.

describe('the lifecycle has one owner', () => {
  it('no file outside src/lifecycle/ writes a status, a timeline entry or a status notification', () => {
    // The synthetic-data generator (benchmarks, the dashboard demo) inserts whole grievances
    // with a made-up history in bulk: no transition, no timeline, no notification.
    const seeded = /^src\/cli\/synthetic-grievances\.ts:\d+: inserts complaints\./;
    expect(lifecycleWritesOutsideOwner(repoRoot()).filter((w) => !seeded.test(w))).toEqual([]);
  });

  describe('the check catches what it is for', () => {
    it.each([
      [
        'raw insert into the timeline',
        'sql`INSERT INTO status_events (id) VALUES (1)`',
        'inserts into status_events',
      ],
      [
        'raw insert of a notification',
        "q('insert into notifications (id) values ($1)')",
        'inserts into notifications',
      ],
      [
        'a status column in a raw update',
        'sql`UPDATE complaints c SET updated_at = now(),\n status_from = c.status WHERE id = 1`',
        'updates complaints.status_from',
      ],
      [
        'status in an update without alias',
        "sql`UPDATE complaints SET status = 'ROUTED' WHERE id = 1`",
        'updates complaints.status',
      ],
      [
        'a status column at intake',
        'sql`INSERT INTO complaints (id, status) VALUES (1, 2)`',
        'inserts complaints.status',
      ],
      ['Prisma timeline create', 'tx.statusEvent.create({ data: {} })', 'statusEvent.create'],
      [
        'Prisma notification create',
        'this.prisma.notification.createMany({ data: [] })',
        'notification.createMany',
      ],
      [
        'Prisma status update (the where clause aside)',
        "tx.complaint.updateMany({ where: { id, status: 'X' }, data: { closedAt: now } })",
        'complaint.updateMany sets closedAt',
      ],
    ])('%s', (_, text, what) => {
      expect(lifecycleWrites(`\n${text}\n`)).toEqual([`2: ${what}`]);
    });

    it.each([
      [
        'erasure of personal data',
        'sql`UPDATE complaints SET complainant_cipher = NULL, mobile_lookup = NULL WHERE id = 1`',
      ],
      [
        'redaction of remarks',
        'sql`UPDATE status_events SET remarks = NULL WHERE complaint_id = 1`',
      ],
      ['reading statuses', "sql`SELECT status FROM complaints WHERE status IN ('ROUTED')`"],
      [
        'a status in the where clause only',
        "tx.complaint.update({ where: { id, status: 'X' }, data: { feedbackAt: now } })",
      ],
      ['marking a notification sent', "sql`UPDATE notifications SET state = 'SENT'`"],
      ['intake without a status column', 'sql`INSERT INTO complaints (id, subject) VALUES (1, 2)`'],
    ])('%s is not a lifecycle write', (_, text) => {
      expect(lifecycleWrites(text)).toEqual([]);
    });

    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'hub-lifecycle-owner-'));
      const files: Record<string, string> = {
        'src/lifecycle/lifecycle.repository.ts': 'sql`INSERT INTO status_events (id) VALUES (1)`',
        'src/dispatch/dispatch.repository.ts':
          "\n\ntx.statusEvent.create({ data: { status: 'X' } })",
        'src/dispatch/dispatch.repository.spec.ts':
          'sql`INSERT INTO status_events (id) VALUES (1)`',
        'src/generated/prisma/client.ts': 'sql`INSERT INTO status_events (id) VALUES (1)`',
      };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('scans src/ outside src/lifecycle/, generated code and unit specs', () => {
      expect(lifecycleWritesOutsideOwner(dir)).toEqual([
        'src/dispatch/dispatch.repository.ts:3: statusEvent.create',
      ]);
    });
  });
});
