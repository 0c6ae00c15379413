/**
 * Builds data/pin-districts.csv (docs/open311.md, "Places"): every PIN code with the LGD state
 * and district of its post offices and their centroid, from GeoNames' IN.txt. Pure functions:
 * the command (src/cli/pin-districts-build.ts) reads and writes the files.
 */
import {
  LADAKH_DISTRICTS,
  normalise,
  STATE_ALIASES,
  type LgdDistrict,
  type LgdState,
} from './lgd-jurisdictions';

export interface PostOffice {
  pincode: string;
  state: string;
  district: string;
  lat: number;
  long: number;
}

/** GeoNames postal rows: country, postal code, place, state, state code, district, …, lat, long. */
export function postOffices(text: string): PostOffice[] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split('\t'))
    .filter((f) => f[9] !== '' && f[10] !== '')
    .map((f) => ({
      pincode: f[1],
      state: f[3],
      district: f[5] ?? '',
      lat: Number(f[9]),
      long: Number(f[10]),
    }))
    .filter((o) => Number.isFinite(o.lat) && Number.isFinite(o.long));
}

/**
 * GeoNames district names (older spellings, pre-split districts) → today's LGD name, keyed by
 * the compact form (`compact`). Checked by hand; what stays unmatched keeps its state only.
 */
const DISTRICT_ALIASES: Record<string, string> = {
  ALLAHABAD: 'Prayagraj',
  FAIZABAD: 'Ayodhya',
  GURGAON: 'Gurugram',
  HOSHANGABAD: 'Narmadapuram',
  CUDDAPAH: 'Y.S.R.',
  NELLORE: 'Spsr Nellore',
  SOUTHPARGANAS: '24 Paraganas South',
  NORTHPARGANAS: '24 Paraganas North',
  WESTMIDNAPORE: 'Medinipur West',
  EASTMIDNAPORE: 'Medinipur East',
  MEDINIPUR: 'Medinipur West',
  NORTHDINAJPUR: 'Dinajpur Uttar',
  SOUTHDINAJPUR: 'Dinajpur Dakshin',
  COOCHBEHAR: 'Cooch Behar',
  BURDWAN: 'Purba Bardhaman',
  EASTCHAMPARAN: 'Purbi Champaran',
  WESTCHAMPARAN: 'Pashchim Champaran',
  RAIGARHMH: 'Raigad',
  KVRANGAREDDY: 'Ranga Reddy',
  JAYASHANKAR: 'Jayashankar Bhupalapally',
  SIBSAGAR: 'Sivasagar',
  BENGALURU: 'Bengaluru Urban',
  NORTHCACHARHILLS: 'Dima Hasao',
  JYOTIBAPHULENAGAR: 'Amroha',
  SANTRAVIDASNAGAR: 'Bhadohi',
  NAWANSHAHR: 'Shahid Bhagat Singh Nagar',
  MOHALI: 'S.A.S Nagar',
  ROPAR: 'Rupnagar',
  MUKTSAR: 'Sri Muktsar Sahib',
  WESTNIMAR: 'Khargone',
  KHANDWA: 'East Nimar',
  SAINKHEDA: 'Narmadapuram',
  KAWARDHA: 'Kabirdham',
  SONAPUR: 'Subarnapur',
  KEONJHARGARH: 'Kendujhar',
  DEBAGARH: 'Deogarh',
  KHORDA: 'Khordha',
  EASTSIKKIM: 'Gangtok',
  NORTHSIKKIM: 'Mangan',
  SOUTHSIKKIM: 'Namchi',
  WESTSIKKIM: 'Gyalshing',
  PONDICHERRY: 'Pondicherry',
  SOUTHANDAMAN: 'South Andamans',
  NICOBAR: 'Nicobars',
  LAKSHADWEEP: 'Lakshadweep District',
  JAINTIAHILLS: 'West Jaintia Hills',
  LEH: 'Leh Ladakh',
  PALAMAU: 'Palamu',
};

/** Upper-case letters only: "Ahmed Nagar", "Ahmednagar" and "Raigarh(MH)" meet. */
export const compact = (name: string) =>
  normalise(name)
    .replace(/\bDISTRICT\b/g, '')
    .replace(/ /g, '');

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

export interface DistrictMatcher {
  /** LGD state code of a dataset's state name (and district, for Ladakh), or null. */
  state(stateName: string, districtName: string): string | null;
  /** LGD district code within the state, or null when no LGD district matches. */
  district(stateCode: string, districtName: string): string | null;
}

/**
 * Exact compact name, then the alias table, then a unique closest LGD name of the state at most
 * two edits away (Ananthapur → Anantapur), with Delhi's "South West Delhi" → "South West".
 */
export function districtMatcher(states: LgdState[], districts: LgdDistrict[]): DistrictMatcher {
  const stateByName = new Map(states.map((s) => [normalise(s.name), s.code]));
  const ladakh = stateByName.get('LADAKH');
  const byState = new Map<string, Map<string, string>>();
  for (const d of districts) {
    if (!byState.has(d.stateCode)) byState.set(d.stateCode, new Map());
    byState.get(d.stateCode)!.set(compact(d.name), d.code);
  }
  const cache = new Map<string, string | null>();
  const find = (stateCode: string, name: string): string | null => {
    const own = byState.get(stateCode);
    if (!own) return null;
    let key = compact(name).replace(/\(.*$/, '');
    if (stateCode === '07') key = key.replace(/DELHI$/, '') || key;
    const alias = DISTRICT_ALIASES[key];
    const exact = own.get(key) ?? (alias ? own.get(compact(alias)) : undefined);
    if (exact) return exact;
    const near = [...own].map(([n, code]) => ({ code, d: editDistance(n, key) }));
    const best = Math.min(...near.map((n) => n.d));
    const winners = near.filter((n) => n.d === best);
    return best <= 2 && winners.length === 1 ? winners[0].code : null;
  };
  return {
    state(stateName, districtName) {
      const name = normalise(stateName);
      const code = stateByName.get(name) ?? stateByName.get(normalise(STATE_ALIASES[name] ?? ''));
      if (!code) return null;
      return ladakh && LADAKH_DISTRICTS.has(normalise(districtName)) ? ladakh : code;
    },
    district(stateCode, districtName) {
      const k = `${stateCode}|${districtName}`;
      if (!cache.has(k)) cache.set(k, find(stateCode, districtName));
      return cache.get(k)!;
    },
  };
}

export interface PinDistrictRow {
  pincode: string;
  stateCode: string;
  /** '' when GeoNames' district matches no LGD district. */
  districtCode: string;
  lat: number;
  long: number;
  offices: number;
}

/** One row per PIN and district: its post offices' count and centroid (3 decimals, ~100 m). */
export function pinDistrictRows(offices: PostOffice[], match: DistrictMatcher): PinDistrictRow[] {
  const groups = new Map<string, { row: PinDistrictRow; lat: number; long: number }>();
  offices.forEach((o, i) => {
    const stateCode = match.state(o.state, o.district);
    if (!stateCode) throw new Error(`post office ${i + 1}: unknown state "${o.state}"`);
    const districtCode = match.district(stateCode, o.district) ?? '';
    const key = `${o.pincode}|${stateCode}|${districtCode}`;
    const g = groups.get(key) ?? {
      row: { pincode: o.pincode, stateCode, districtCode, lat: 0, long: 0, offices: 0 },
      lat: 0,
      long: 0,
    };
    g.lat += o.lat;
    g.long += o.long;
    g.row.offices += 1;
    groups.set(key, g);
  });
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return [...groups.values()]
    .map(({ row, lat, long }) => ({
      ...row,
      lat: round(lat / row.offices),
      long: round(long / row.offices),
    }))
    .sort((a, b) =>
      a.pincode === b.pincode ? b.offices - a.offices : a.pincode < b.pincode ? -1 : 1,
    );
}

export const PIN_DISTRICTS_HEADER = 'pincode,state,district,lat,long,offices';

export function pinDistrictsCsv(rows: PinDistrictRow[], source: string): string {
  const lines = [
    `# Generated by npm run pin-districts (src/cli/pin-districts-build.ts) from ${source}; see docs/open311.md.`,
    PIN_DISTRICTS_HEADER,
    ...rows.map((r) =>
      [r.pincode, r.stateCode, r.districtCode, r.lat, r.long, r.offices].join(','),
    ),
  ];
  return `${lines.join('\n')}\n`;
}
