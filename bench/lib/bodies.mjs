// Realistic grievance bodies: UP and Maharashtra state portals, central ministries via CPGRAMS;
// Hindi and English text, lengths like real grievances.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { URLSearchParams } from 'node:url';
import YAML from 'yaml';
import { ROOT } from './infra.mjs';

const jurisdictions = YAML.parse(readFileSync(join(ROOT, 'config', 'jurisdictions.yaml'), 'utf8'));
export const upDistricts = (() => {
  const text = JSON.stringify(jurisdictions);
  const found = [
    ...text.matchAll(/"stateCode":"09"[^}]*?"code":"(\d+)"|"code":"(\d+)"[^}]*?"stateCode":"09"/g),
  ];
  const codes = found.map((m) => m[1] ?? m[2]).filter(Boolean);
  return codes.length ? codes : ['162'];
})();

const SUBJECTS = [
  'Streetlights not working for 3 weeks',
  'सड़क पर पानी भरा है, नाली बंद है',
  'Pension not credited since April',
  'Garbage not collected in our lane for ten days',
  'राशन कार्ड में नाम नहीं जोड़ा गया',
];
const LOREM =
  'The problem has been reported to the local office twice without any action. Residents, including elderly people and school children, face daily difficulty. Kindly direct the concerned department to resolve it at the earliest and inform us of the action taken. ';

let n = 0;
export function grievanceBody() {
  n += 1;
  const pick = n % 10;
  const base = {
    complainant: {
      name: `Citizen ${n} Sharma`,
      mobile: `9${String(100_000_000 + ((n * 7_919) % 899_999_999)).padStart(9, '0')}`,
      email: `citizen${n}@example.in`,
      language: n % 2 ? 'hi' : 'en',
    },
    subject: `${SUBJECTS[n % SUBJECTS.length]} (#${n})`,
    description: LOREM.repeat(1 + (n % 3)),
    category: 'MUNICIPAL_SERVICES',
    location: {
      stateCode: '09',
      districtCode: upDistricts[n % upDistricts.length],
      pincode: '226010',
      address: `House ${n}, Sector 12, Gomti Nagar`,
    },
    ministryCode: null,
    consent: true,
  };
  if (pick < 6) return base; // UP IGRS
  if (pick < 8)
    return {
      ...base,
      location: { stateCode: '27', pincode: '411001', address: `Flat ${n}, FC Road, Pune` },
    }; // Aaple Sarkar
  return { ...base, category: 'RAILWAYS' }; // CPGRAMS
}

/**
 * The same grievances as an Open311 civic app files them: a form, a PIN code (and, for a third,
 * coordinates) instead of LGD codes, so the place lookup is part of what is measured.
 */
export function open311Form(apiKey) {
  const b = grievanceBody();
  const pune = b.location.stateCode === '27';
  const form = {
    api_key: apiKey,
    service_code: b.category,
    zipcode: b.location.pincode,
    address_string: b.location.address,
    first_name: b.complainant.name,
    phone: b.complainant.mobile,
    email: b.complainant.email,
    description: b.description.slice(0, 4000),
    'attribute[SUBJECT]': b.subject,
    'attribute[LANGUAGE]': b.complainant.language,
    ...(n % 3 === 0 ? (pune ? { lat: '18.52', long: '73.84' } : { lat: '26.85', long: '80.99' }) : {}),
  };
  return new URLSearchParams(form).toString();
}
