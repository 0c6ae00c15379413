// Stored grievances for the repeat-check benchmark, made in SQL (generate_series), so a million
// rows take minutes, not the hours intake over HTTP would.
import { upDistricts } from './bodies.mjs';

const TEMPLATES = [
  'Streetlights not working for 3 weeks',
  'सड़क पर पानी भरा है, नाली बंद है',
  'Garbage not collected in our lane for ten days',
  'Gomti Nagar mein paani ki supply nahi aa rahi',
  'बिजली कटौती रोज़ आठ घंटे',
];
const TAIL = ' since last month, nobody has come.';

/**
 * `n` grievances over the last 60 days, as the load lodges them where it matters to the check:
 * the UP districts it lodges into, five categories (one of them the load's), five pincodes (one
 * of them the load's), texts of the labelled set's kinds of problem with their text key and
 * concepts stored as intake stores them (so the cluster lookup finds candidates sharing a concept
 * and scores them), random mobiles (keyed hashes the load never repeats), status DELIVERED.
 * Category, pincode, district and template vary independently (i mod 5, i / 5 mod 5, i / 25
 * mod the districts, i / 7 mod 5). A template's key and concepts are computed once; a row's key is its template's plus its number
 * (the number is in its subject), so no two keys are equal. Batches of `batch` rows.
 * Where the schema has `complaints.places` (20261129020000), the template's places are stored
 * too, as the link job stores them (older schemas: not written).
 */
export async function seedGrievances(sql, n, { batch = 100_000, log = () => undefined } = {}) {
  const { rows } = await sql.query(
    `SELECT 1 FROM information_schema.columns WHERE table_name = 'complaints' AND column_name = 'places'`,
  );
  const places = rows.length > 0;
  for (let from = 0; from < n; from += batch) {
    const to = Math.min(from + batch, n);
    await sql.query(
      `WITH t AS MATERIALIZED (
         SELECT k, s, grievance_text_key(s || $4::text) AS key,
           grievance_concepts(grievance_text_key(s || $4::text)) AS concepts
           ${places ? `, grievance_places(grievance_text_key(s || $4::text), s || $4::text) AS places` : ''}
         FROM unnest($5::text[]) WITH ORDINALITY AS x(s, k)
       )
       INSERT INTO complaints (id, tracking_id, access_token_hash, status, subject, description,
         category, state_code, district_code, pincode, language, mobile_lookup,
         primary_portal_code, routing_rule, created_at, updated_at, text_key, concepts
         ${places ? ', places' : ''})
       SELECT gen_random_uuid(), 'ONOP-SEED-' || i, md5(i::text), 'DELIVERED',
         t.s || ' (' || i || ')', t.s || $4::text,
         (ARRAY['MUNICIPAL_SERVICES','ELECTRICITY','WATER_SUPPLY','ROADS','SANITATION'])[1 + i % 5],
         '09', ($3::text[])[1 + (i / 25) % cardinality($3::text[])],
         (ARRAY['226010','226024','226016','226018','226017'])[1 + (i / 5) % 5],
         'hi', md5('m' || i), 'UP-IGRS', 'bench',
         now() - (i % 60) * interval '1 day' - (i % 86400) * interval '1 second', now(),
         t.key || ' ' || i, t.concepts ${places ? ', t.places' : ''}
       FROM generate_series($1::int, $2::int) AS i
       JOIN t ON t.k = 1 + (i / 7) % 5`,
      [from + 1, to, upDistricts, TAIL, TEMPLATES],
    );
    log(`seeded ${to} / ${n}`);
  }
  await sql.query('ANALYZE complaints');
}
