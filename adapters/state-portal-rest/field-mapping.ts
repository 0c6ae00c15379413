import type { OutboundGrievance } from '../adapter';
import { readPath, writePath } from '../dot-path';

/** Every field of OutboundGrievance a portal field may be mapped from. */
export const OUTBOUND_PATHS = [
  'clientRef',
  'trackingId',
  'subject',
  'description',
  'category',
  'ministryCode',
  'location.stateCode',
  'location.districtCode',
  'location.pincode',
  'location.address',
  'complainant.name',
  'complainant.mobile',
  'complainant.email',
  'complainant.language',
  'lodgedAt',
] as const;
export type OutboundPath = (typeof OUTBOUND_PATHS)[number];

export interface FieldMapping {
  fieldMap: Readonly<Record<string, OutboundPath>>;
  constants?: Readonly<Record<string, string | number | boolean>>;
  categoryMap?: Readonly<Record<string, string>>;
  defaultCategory?: string;
}

export class UnmappedCategoryError extends Error {
  constructor(readonly category: string) {
    super(`no portal category for hub category ${category}`);
  }
}

/**
 * Builds the portal's request body from the grievance. Null hub values (no e-mail, no district)
 * leave the portal field out rather than sending null, which most portal validators refuse.
 */
export function toPortalBody(g: OutboundGrievance, mapping: FieldMapping): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(mapping.constants ?? {}))
    writePath(body, field, value);
  for (const [field, source] of Object.entries(mapping.fieldMap)) {
    let value = readPath(g, source);
    if (source === 'category' && typeof value === 'string') value = portalCategory(value, mapping);
    if (value === null || value === undefined) continue;
    writePath(body, field, value);
  }
  return body;
}

export function portalCategory(category: string, mapping: FieldMapping): string {
  if (!mapping.categoryMap) return category;
  const code = mapping.categoryMap[category] ?? mapping.defaultCategory;
  if (!code) throw new UnmappedCategoryError(category);
  return code;
}
