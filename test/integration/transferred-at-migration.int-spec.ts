import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { migrate, readMigrations } from '../../src/platform/database/migrator';
import { useDatabaseBefore } from '../support/database';

const FIRST = '20261130015000_complaints_transferred_at_column';
const PREPARE = '20261130020000_complaints_transferred_at';

/**
 * Issue 17: complaints.transferred_at filled on a database that has transfers, and for the
 * transfers an older hub applies between the two migrations; the partial indexes the District
 * Governance Index reads are built and valid.
 */
describe('complaints.transferred_at migration on an existing database', () => {
  const older = useDatabaseBefore(FIRST, 'transfer');
  const url = older.url;
  let db: Client;
  const ids = [randomUUID(), randomUUID(), randomUUID()];
  const grievance = (id: string, n: number) =>
    db.query(
      `INSERT INTO complaints (id, tracking_id, access_token_hash, status, subject, description,
         category, state_code, district_code, pincode, language, primary_portal_code, routing_rule,
         created_at, updated_at)
       VALUES ($1, $2, 'x', 'DELIVERED', 's', 'A grievance written by a test.', 'ROADS',
         '09', '162', '226010', 'en', 'UP-IGRS', 'fixture', now(), now())`,
      [id, `GRV-TRANSFER-${n}`],
    );
  const event = (id: string, status: string, at: string) =>
    db.query(
      `INSERT INTO status_events (id, complaint_id, status, source, portal_code, occurred_at)
       VALUES (gen_random_uuid(), $1, $2, 'portal:UP-IGRS', 'UP-IGRS', $3)`,
      [id, status, at],
    );

  beforeAll(async () => {
    db = older.client;
    await Promise.all(ids.map((id, i) => grievance(id, i)));
  });

  it('keeps the earliest transfer of each grievance, including those an older hub wrote between the steps', async () => {
    // Transferred twice before the migration; the earliest counts.
    await event(ids[0], 'TRANSFERRED', '2026-10-09T10:00:00Z');
    await event(ids[0], 'TRANSFERRED', '2026-10-08T10:00:00Z');
    await event(ids[1], 'IN_PROGRESS', '2026-10-08T10:00:00Z');
    await migrate(
      url,
      readMigrations().filter((m) => m.name <= PREPARE),
    );
    // The older hub writes a transfer's timeline entry (applied or not), never transferred_at;
    // an earlier one arriving late moves the time back.
    await event(ids[2], 'TRANSFERRED', '2026-10-10T10:00:00Z');
    await event(ids[0], 'TRANSFERRED', '2026-10-07T10:00:00Z');
    await event(ids[0], 'TRANSFERRED', '2026-10-11T10:00:00Z');
    await migrate(url);

    const { rows } = await db.query<{ id: string; at: Date | null }>(
      `SELECT id, transferred_at AS at FROM complaints WHERE id = ANY($1)`,
      [ids],
    );
    const at = Object.fromEntries(rows.map((r) => [r.id, r.at?.toISOString() ?? null]));
    expect(at).toEqual({
      [ids[0]]: '2026-10-07T10:00:00.000Z',
      [ids[1]]: null,
      [ids[2]]: '2026-10-10T10:00:00.000Z',
    });
    // This version writes it itself: the trigger for the older hub is gone.
    const trigger = await db.query(
      `SELECT 1 FROM pg_trigger WHERE tgname = 'status_events_transferred_at'
       UNION ALL SELECT 1 FROM pg_proc WHERE proname = '_hub_complaints_transferred_at'`,
    );
    expect(trigger.rows).toHaveLength(0);
    const indexes = await db.query<{ name: string; valid: boolean }>(
      `SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i
       JOIN pg_class c ON c.oid = i.indexrelid
       WHERE c.relname IN ('complaints_transferred_idx', 'complaints_repeated_idx') ORDER BY 1`,
    );
    expect(indexes.rows).toEqual([
      { name: 'complaints_repeated_idx', valid: true },
      { name: 'complaints_transferred_idx', valid: true },
    ]);
  });
});
