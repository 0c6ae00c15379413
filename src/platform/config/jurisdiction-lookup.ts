import type { Category, District, Jurisdictions, Ministry } from './hub-config';

// States whose districts are not listed in config/jurisdictions.yaml yet accept any LGD-shaped
// district code, so a grievance from such a state is never refused for want of reference data.
const ANY_DISTRICT = /^\d{1,4}$/;

export function isKnownState(j: Jurisdictions, stateCode: string): boolean {
  return j.states.some((s) => s.code === stateCode);
}

/** The configured districts of a state; empty when the state has no district list. */
export function districtsOf(j: Jurisdictions, stateCode: string): District[] {
  return j.districts.filter((d) => d.stateCode === stateCode);
}

export function isValidDistrict(
  j: Jurisdictions,
  stateCode: string,
  districtCode: string,
): boolean {
  if (!isKnownState(j, stateCode)) return false;
  const listed = districtsOf(j, stateCode);
  if (listed.length === 0) return ANY_DISTRICT.test(districtCode);
  return listed.some((d) => d.code === districtCode);
}

export function categoryByCode(categories: Category[], code: string): Category | undefined {
  return categories.find((c) => c.code === code);
}

export function ministryByCode(ministries: Ministry[], code: string): Ministry | undefined {
  return ministries.find((m) => m.code === code);
}
