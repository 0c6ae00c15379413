import { PlaceIndex } from '../open311/place-index';
import {
  pinDistrictRows,
  type DistrictMatcher,
  type PinDistrictRow,
  type PostOffice,
} from './pin-districts';

const SAMPLE_EVERY = 50;
const LIMITS_KM = [5, 10, 20, 40];

/**
 * How well the table places a grievance (docs/open311.md, "Evaluation"), on GeoNames' own post
 * offices: which share got an LGD district; how often a PIN alone names one district, and is right;
 * and, held out (every 50th office left out of the table), how often the nearest centroid within
 * a distance limit names the office's own district.
 */
export function evaluatePlaces(
  offices: PostOffice[],
  rows: PinDistrictRow[],
  match: DistrictMatcher,
) {
  const truth = offices.map((o) => {
    const state = match.state(o.state, o.district)!;
    return { o, state, district: match.district(state, o.district) ?? '' };
  });
  const byPin = new Map<string, PinDistrictRow[]>();
  for (const r of rows) byPin.set(r.pincode, [...(byPin.get(r.pincode) ?? []), r]);
  const named = (rs: PinDistrictRow[]) =>
    new Set(rs.filter((r) => r.districtCode).map((r) => r.districtCode));
  const pinsWithOne = [...byPin.values()].filter((rs) => named(rs).size === 1).length;
  const matched = truth.filter((t) => t.district).length;
  const pinRight = truth.filter((t) => {
    const ds = named(byPin.get(t.o.pincode) ?? []);
    return t.district && ds.size === 1 && ds.has(t.district);
  }).length;

  const heldOut = truth.filter((t, i) => i % SAMPLE_EVERY === 0 && t.district);
  const index = new PlaceIndex(
    pinDistrictRows(
      offices.filter((_, i) => i % SAMPLE_EVERY !== 0),
      match,
    ).filter((r) => r.districtCode),
  );
  const byLimit = LIMITS_KM.map((km) => {
    const found = heldOut.map((t) => ({ t, hit: index.nearest(t.o.lat, t.o.long, km) }));
    const answered = found.filter((f) => f.hit);
    const right = answered.filter((f) => f.hit!.row.districtCode === f.t.district).length;
    return {
      limitKm: km,
      answered: pct(answered.length, heldOut.length),
      districtRightWhenAnswered: pct(right, answered.length),
    };
  });
  return {
    postOffices: offices.length,
    withLgdDistrict: pct(matched, offices.length),
    pins: byPin.size,
    pinsNamingOneDistrict: pct(pinsWithOne, byPin.size),
    officesWhosePinNamesTheirDistrict: pct(pinRight, matched),
    coordinatesHeldOut: heldOut.length,
    nearestCentroid: byLimit,
  };
}

const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(1)}% (${n}/${of})`;
