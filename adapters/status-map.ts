import { UnknownNativeStatusError, type CanonicalStatus } from './adapter';

/** Statuses only the hub itself sets: no portal can report them. */
export const HUB_ONLY_STATUSES: readonly CanonicalStatus[] = [
  'RECEIVED',
  'ROUTED',
  'DISPATCH_FAILED',
];

export type StatusTable = Readonly<Record<string, CanonicalStatus>>;

// Portals are inconsistent about case and spacing ("Case disposed", "CASE DISPOSED ").
const normalise = (native: string): string => native.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Builds the one native → canonical lookup of an adapter. An unknown status throws
 * UnknownNativeStatusError: a guess could close a grievance that is still open.
 */
export function createStatusMapper(
  kind: string,
  table: StatusTable,
): (native: string) => CanonicalStatus {
  const lookup = new Map<string, CanonicalStatus>();
  for (const [native, canonical] of Object.entries(table)) {
    const key = normalise(native);
    if (lookup.has(key) && lookup.get(key) !== canonical) {
      throw new Error(
        `${kind}: native status "${native}" is mapped twice, to different canonical statuses`,
      );
    }
    if (HUB_ONLY_STATUSES.includes(canonical)) {
      throw new Error(
        `${kind}: native status "${native}" maps to ${canonical}, which only the hub sets`,
      );
    }
    lookup.set(key, canonical);
  }
  return (native: string) => {
    const canonical = typeof native === 'string' ? lookup.get(normalise(native)) : undefined;
    if (!canonical) throw new UnknownNativeStatusError(kind, String(native));
    return canonical;
  };
}
