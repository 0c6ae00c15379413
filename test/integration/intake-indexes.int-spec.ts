import { ERASE_CLOSED, ERASED, PrivacyRepository } from '../../src/privacy/privacy.repository';
import { explainPrepared } from '../support/database';
import { useMedium } from '../support/medium';

/**
 * Intake pays for every index of `complaints` it writes an entry in (migration
 * 20261130028500). The retention erasure's index holds only closed grievances that still carry
 * personal data: an open grievance (every one intake inserts) has no entry in it, and the
 * erasure still finds what is due through it.
 */
describe('the indexes intake writes', () => {
  const medium = useMedium();

  const insert = (from: number, to: number, closedAt: string | null) =>
    medium.prisma.pool.query(
      `INSERT INTO complaints (id, tracking_id, access_token_hash, status, subject, description,
         category, state_code, district_code, pincode, language, primary_portal_code,
         routing_rule, complainant_cipher, closed_at, created_at, updated_at)
       SELECT gen_random_uuid(), 'GRV-IDX-' || n, 'x',
         CASE WHEN $3::timestamptz IS NULL THEN 'DELIVERED' ELSE 'CLOSED' END::"ComplaintStatus",
         's', 'A grievance written by a test.', 'ROADS', '09', '162', '226010', 'en', 'UP-IGRS',
         'fixture', '\\x00'::bytea, $3::timestamptz, now(), now()
       FROM generate_series($1::int, $2::int) n`,
      [from, to, closedAt],
    );

  const entries = async (index: string) => {
    const { rows } = await medium.prisma.pool.query<{ n: number }>(
      // Pages beyond the metapage and the root: 0 while the index holds a few entries at most.
      `SELECT (pg_relation_size($1::regclass) / current_setting('block_size')::int)::int AS n`,
      [index],
    );
    return rows[0].n;
  };

  it('writes no retention entry for an open grievance, and the erasure finds the closed ones', async () => {
    await insert(1, 5_000, null);
    // Open grievances holding personal data: not in the retention index (a metapage at most).
    expect(await entries('complaints_pii_retained_idx')).toBeLessThanOrEqual(1);
    // The index by time received, for comparison, holds an entry for each (several pages).
    expect(await entries('complaints_created_at_idx')).toBeGreaterThan(3);

    await insert(5_001, 5_120, '2025-01-01T00:00:00Z');
    const erased = await new PrivacyRepository(medium.prisma).eraseClosedBefore(
      new Date('2025-06-01T00:00:00Z'),
      1_000,
    );
    expect(erased).toBe(120);
    // The erasure's own statement, as PostgreSQL plans it for these values and as it may keep it.
    const client = await medium.prisma.pool.connect();
    try {
      for (const mode of ['custom', 'generic'] as const) {
        const plan = await explainPrepared(
          client,
          ERASE_CLOSED,
          mode,
          `'2025-06-01T00:00:00Z', 1000, '${ERASED}'`,
        );
        // Through the retention index alone: the status index's CLOSED range holds every
        // grievance ever closed.
        expect(plan).toContain('complaints_pii_retained_idx');
        expect(plan).not.toContain('complaints_status_portal_idx');
      }
    } finally {
      client.release();
    }
  });
});
