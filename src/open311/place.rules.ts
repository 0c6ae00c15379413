import type { PlaceIndex, PlaceRow } from './place-index';

/** How far the nearest post office may be for a lat/long to name its district (docs/open311.md). */
export const NEAREST_OFFICE_KM = 20;

export interface PlaceInput {
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  /** LGD state code from jurisdiction_id, already known to be a state. */
  stateCode: string | null;
}

export interface Place {
  stateCode: string;
  /** Null when the PIN code spans districts and no lat/long tells them apart. */
  districtCode: string | null;
  pincode: string;
}

export type PlaceResult = { place: Place } | { problem: string };

const masked = (pin: string) => `${pin.slice(0, 3)}xxx`;

/**
 * The LGD state and district of an Open311 location, offline (data/pin-districts.csv):
 * the PIN code's post offices; where they lie in several districts, the one nearest lat/long;
 * without a PIN code, the nearest post office within 20 km (its PIN code becomes the grievance's).
 * A place that cannot be resolved is refused, naming what would resolve it. Only the first three
 * digits of a PIN code are ever echoed.
 */
export function resolvePlace(input: PlaceInput, index: PlaceIndex): PlaceResult {
  const { zipcode, lat, long, stateCode } = input;
  const point = lat !== null && long !== null ? { lat, long } : null;
  if (zipcode === null) {
    if (!point)
      return {
        problem:
          'zipcode or lat/long is required: the hub finds the state and district from them (an address_string or address_id alone cannot be placed)',
      };
    const hit = index.nearest(point.lat, point.long, NEAREST_OFFICE_KM);
    if (!hit)
      return {
        problem: `lat/long is more than ${NEAREST_OFFICE_KM} km from any Indian post office: send the zipcode`,
      };
    if (stateCode && hit.row.stateCode !== stateCode)
      return {
        problem: `lat/long lies in state ${hit.row.stateCode}, not in jurisdiction_id ${stateCode}`,
      };
    return { place: placeOf(hit.row) };
  }
  let rows = index.byPin(zipcode);
  if (rows.length === 0)
    return { problem: `zipcode ${masked(zipcode)} is not in the post office directory` };
  if (stateCode) {
    rows = rows.filter((r) => r.stateCode === stateCode);
    if (rows.length === 0)
      return { problem: `zipcode ${masked(zipcode)} is not in jurisdiction_id ${stateCode}` };
  }
  const nearest = point ? nearestOf(rows, point.lat, point.long) : null;
  const states = new Set(rows.map((r) => r.stateCode));
  if (states.size > 1 && !nearest)
    return {
      problem: `zipcode ${masked(zipcode)} is shared by states ${[...states].sort().join(' and ')}: send jurisdiction_id or lat/long`,
    };
  const state = nearest?.stateCode ?? rows[0].stateCode;
  const named = rows.filter((r) => r.stateCode === state && r.districtCode !== '');
  const districts = new Set(named.map((r) => r.districtCode));
  const district =
    districts.size === 1
      ? named[0].districtCode
      : point && districts.size > 1
        ? nearestOf(named, point.lat, point.long)!.districtCode
        : null;
  return { place: { stateCode: state, districtCode: district, pincode: zipcode } };
}

function placeOf(row: PlaceRow): Place {
  return { stateCode: row.stateCode, districtCode: row.districtCode || null, pincode: row.pincode };
}

function nearestOf(rows: PlaceRow[], lat: number, long: number): PlaceRow | null {
  let best: PlaceRow | null = null;
  let bestD = Infinity;
  for (const r of rows) {
    // Squared degrees are enough to order points this close together.
    const d = (r.lat - lat) ** 2 + ((r.long - long) * Math.cos((lat * Math.PI) / 180)) ** 2;
    if (d < bestD) [best, bestD] = [r, d];
  }
  return best;
}
