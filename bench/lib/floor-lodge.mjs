// The floor's work, shared by both floor servers: route by state/category and write the same
// rows as an intake (complaint, dispatch, RECEIVED event) in one transaction with raw `pg`.
// No validation, no encryption, no logging.
import { createHash, randomBytes, randomUUID } from 'node:crypto';

const portalFor = (b) =>
  b.category === 'RAILWAYS'
    ? 'CPGRAMS'
    : b.location?.stateCode === '27'
      ? 'MH-AAPLESARKAR'
      : 'UP-IGRS';

export async function lodge(pool, b) {
  const id = randomUUID();
  const dispatchId = randomUUID();
  const token = randomBytes(32).toString('base64url');
  const trackingId = `ONOP-${randomBytes(6).toString('hex').toUpperCase()}`;
  const portal = portalFor(b);
  const now = new Date();
  const cipher = randomBytes(60 + Buffer.byteLength(JSON.stringify(b.complainant)) + 60);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO complaints (id, tracking_id, access_token_hash, subject, description, category,
         ministry_code, state_code, district_code, pincode, language, complainant_cipher, mobile_lookup,
         primary_portal_code, routing_rule, sla_due_at, created_at, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$17)`,
      [
        id,
        trackingId,
        createHash('sha256').update(token).digest('hex'),
        b.subject,
        b.description,
        b.category,
        b.ministryCode ?? null,
        b.location.stateCode,
        b.location.districtCode ?? null,
        b.location.pincode,
        b.complainant.language ?? 'en',
        cipher,
        createHash('sha256').update(b.complainant.mobile).digest('hex'),
        portal,
        'floor',
        new Date(now.getTime() + 21 * 86_400_000),
        now,
      ],
    );
    await client.query(
      `INSERT INTO dispatches (id, complaint_id, portal_code, "primary", correlation_id, created_at, updated_at) VALUES ($1,$2,$3,true,$4,$5,$5)`,
      [dispatchId, id, portal, randomUUID(), now],
    );
    await client.query(
      `INSERT INTO status_events (id, complaint_id, status, source, occurred_at) VALUES ($1,$2,'RECEIVED','hub',$3)`,
      [randomUUID(), id, now],
    );
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
  return {
    trackingId,
    accessToken: token,
    status: 'RECEIVED',
    routedTo: [{ portalCode: portal, primary: true }],
    createdAt: now.toISOString(),
  };
}
