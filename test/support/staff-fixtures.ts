import { randomUUID } from 'node:crypto';
import { ApiKeysService } from '../../src/auth/api-keys.service';
import type { StaffRole } from '../../src/auth/staff-principal';
import { PiiCipher } from '../../src/platform/crypto/pii-cipher';
import { newTrackingId } from '../../src/platform/crypto/tokens';
import type { TestHub } from './test-hub';

export const DAY_MS = 86_400_000;

export async function staffKey(hub: TestHub, role: StaffRole, name = `${role} officer`) {
  return (await hub.app.get(ApiKeysService).create(name, role)).key;
}

export interface GrievanceRow {
  status?: string;
  portal?: string;
  category?: string;
  /** complaints.ministry_code (routing sets it for central categories). */
  ministryCode?: string | null;
  stateCode?: string;
  districtCode?: string | null;
  createdAt: Date;
  deliveredAt?: Date | null;
  slaDueAt?: Date | null;
  resolvedAt?: Date | null;
  closedAt?: Date | null;
  feedbackRating?: number | null;
  appealedAt?: Date | null;
  /** Encrypted like intake does; null leaves no personal data. */
  complainant?: { name: string; mobile: string; email: string | null; address: string } | null;
  externalRef?: string | null;
  dispatchStatus?: 'PENDING' | 'DELIVERED' | 'DISPATCH_FAILED';
  /** When the dispatch was handed to its queue (default now); null: the relay has yet to queue it. */
  dispatchQueuedAt?: Date | null;
}

/**
 * Inserts a grievance (and its primary dispatch) straight into the tables, as status sync would
 * leave it. A medium test (no hub application) passes its own `{ prisma }`: without the hub's
 * cipher it can only insert grievances without personal data (`complainant` unset or null).
 */
export async function insertGrievance(
  hub: Pick<TestHub, 'prisma'> & Partial<Pick<TestHub, 'app'>>,
  g: GrievanceRow,
) {
  const id = randomUUID();
  const dispatchId = randomUUID();
  const trackingId = newTrackingId();
  if (g.complainant && !hub.app) throw new Error('insertGrievance: a complainant needs the hub');
  const pii = g.complainant ? hub.app!.get(PiiCipher) : null;
  const cipher = g.complainant ? pii!.encrypt(g.complainant) : null;
  const lookup = g.complainant ? pii!.mobileLookup(g.complainant.mobile) : null;
  const portal = g.portal ?? 'CPGRAMS';
  const delivered = g.deliveredAt === undefined ? g.createdAt : g.deliveredAt;
  await hub.prisma.$executeRaw`
    INSERT INTO complaints (id, tracking_id, access_token_hash, status, subject, description,
      category, ministry_code, state_code, district_code, pincode, language, complainant_cipher, mobile_lookup,
      primary_portal_code, routing_rule, sla_due_at, delivered_at, resolved_at, resolved_by_portal,
      closed_at, feedback_rating, appealed_at, created_at, updated_at)
    VALUES (${id}::uuid, ${trackingId}, 'x', ${g.status ?? 'DELIVERED'}::"ComplaintStatus",
      'Fixture grievance', 'A grievance written by a test fixture.', ${g.category ?? 'RAILWAYS'},
      ${g.ministryCode ?? null},
      ${g.stateCode ?? '09'}, ${g.districtCode ?? null}, '226010', 'en', ${cipher}, ${lookup},
      ${portal}, 'fixture', ${g.slaDueAt ?? null}, ${delivered}, ${g.resolvedAt ?? null},
      ${g.resolvedAt ? portal : null}, ${g.closedAt ?? null}, ${g.feedbackRating ?? null},
      ${g.appealedAt ?? null}, ${g.createdAt}, now())`;
  const status = g.dispatchStatus ?? (delivered ? 'DELIVERED' : 'PENDING');
  await hub.prisma.$executeRaw`
    INSERT INTO dispatches (id, complaint_id, portal_code, "primary", status, external_ref,
      delivered_at, failed_at, last_error, queued_at, correlation_id)
    VALUES (${dispatchId}::uuid, ${id}::uuid, ${portal}, true, ${status}::"DispatchStatus",
      ${g.externalRef === undefined ? (status === 'DELIVERED' ? `REF-${trackingId}` : null) : g.externalRef},
      ${status === 'DELIVERED' ? delivered : null}, ${status === 'DISPATCH_FAILED' ? new Date() : null},
      ${status === 'DISPATCH_FAILED' ? 'gave up after 4 attempts' : null},
      ${g.dispatchQueuedAt === undefined ? new Date() : g.dispatchQueuedAt}, ${`fixture-${id}`})`;
  return { id, dispatchId, trackingId };
}

/** RFC 4180 enough for our report: quoted fields with doubled quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted && ch === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && ch === ',') {
      row.push(field);
      field = '';
    } else if (!quoted && ch === '\n') {
      rows.push([...row, field.replace(/\r$/, '')]);
      row = [];
      field = '';
    } else {
      field += ch;
    }
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}
