import type { Category, District, Jurisdictions, Ministry, StateJurisdiction } from './hub-config';

export function isKnownState(j: Jurisdictions, stateCode: string): boolean {
  return j.states.some((s) => s.code === stateCode);
}

export function stateByCode(j: Jurisdictions, stateCode: string): StateJurisdiction | undefined {
  return j.states.find((s) => s.code === stateCode);
}

/** The districts of a state, as LGD lists them. */
export function districtsOf(j: Jurisdictions, stateCode: string): District[] {
  return j.districts.filter((d) => d.stateCode === stateCode);
}

/** LGD district codes are unique across India: a code names one district of one state. */
export function districtByCode(j: Jurisdictions, districtCode: string): District | undefined {
  return j.districts.find((d) => d.code === districtCode);
}

/** A district must be one of its state's: there is no "any code" fallback. */
export function isValidDistrict(
  j: Jurisdictions,
  stateCode: string,
  districtCode: string,
): boolean {
  return districtByCode(j, districtCode)?.stateCode === stateCode;
}

/**
 * The states and union territories a PIN code can lie in, from its first three digits (a sorting
 * district), or else from every state under its first two (a postal region). Empty: no state.
 */
export function statesOfPincode(j: Jurisdictions, pincode: string): string[] {
  const exact = j.pincodePrefixes[pincode.slice(0, 3)];
  if (exact) return exact;
  const region = new Set<string>();
  for (const [prefix, codes] of Object.entries(j.pincodePrefixes))
    if (prefix.startsWith(pincode.slice(0, 2))) codes.forEach((c) => region.add(c));
  return [...region].sort();
}

export function categoryByCode(categories: Category[], code: string): Category | undefined {
  return categories.find((c) => c.code === code);
}

export function ministryByCode(ministries: Ministry[], code: string): Ministry | undefined {
  return ministries.find((m) => m.code === code);
}
