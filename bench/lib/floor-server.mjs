// The floor: the least a Node HTTP handler can do for an intake — parse the JSON, route by
// state/category, write the same rows in one transaction with raw `pg`, answer 201.
// `node floor-server.mjs <port> <databaseUrl>`
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import pg from 'pg';

const [port, databaseUrl] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: databaseUrl, max: 20 });
const portalFor = (b) =>
  b.category === 'RAILWAYS'
    ? 'CPGRAMS'
    : b.location?.stateCode === '27'
      ? 'MH-AAPLESARKAR'
      : 'UP-IGRS';

async function lodge(b) {
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
      `INSERT INTO dispatches (id, complaint_id, portal_code, "primary", created_at, updated_at) VALUES ($1,$2,$3,true,$4,$4)`,
      [dispatchId, id, portal, now],
    );
    await client.query(
      `INSERT INTO outbox (id, topic, payload, created_at) VALUES ($1,'dispatch.submit',$2,$3)`,
      [randomUUID(), { dispatchId, portalCode: portal, correlationId: randomUUID() }, now],
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

createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (req.method !== 'POST' || typeof body?.subject !== 'string' || body.consent !== true) {
      res.writeHead(400).end();
      return;
    }
    lodge(body).then(
      (out) => {
        const text = JSON.stringify(out);
        res.writeHead(201, {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(text),
        });
        res.end(text);
      },
      () => res.writeHead(500).end(),
    );
  });
}).listen(Number(port), '127.0.0.1', () => process.stdout.write(`floor on ${port}\n`));
