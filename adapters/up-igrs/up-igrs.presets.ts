import type { CanonicalStatus } from '../adapter';

/**
 * UP IGRS native statuses (English and transliterated Hindi, as the portal's officer screens
 * show them) → canonical. The one status table for up-igrs; config may add entries.
 */
export const UP_IGRS_STATUS_TABLE = {
  Registered: 'DELIVERED',
  Panjikrit: 'DELIVERED',
  Pending: 'DELIVERED',
  Lambit: 'DELIVERED',
  'Under Process': 'IN_PROGRESS',
  Prakriyadheen: 'IN_PROGRESS',
  Forwarded: 'IN_PROGRESS',
  Agrasarit: 'IN_PROGRESS',
  // A senior level sends a poor disposal back to the officer: work continues.
  'Returned to Level 1': 'IN_PROGRESS',
  'Returned to Level 2': 'IN_PROGRESS',
  'Reverted for Re-examination': 'IN_PROGRESS',
  Reopened: 'IN_PROGRESS',
  // "Does not pertain to my department" is never a closure: it moves to another office.
  'Not Pertaining': 'TRANSFERRED',
  'Sambandhit Nahi': 'TRANSFERRED',
  Transferred: 'TRANSFERRED',
  Hastantarit: 'TRANSFERRED',
  Disposed: 'RESOLVED',
  Nistarit: 'RESOLVED',
  // Closed without redress for a recorded reason (sub judice, policy matter, incomplete).
  'Special Closure': 'REJECTED',
  'Vishesh Nistaran': 'REJECTED',
  'Re-examination Requested': 'APPEALED',
  'Feedback Unsatisfactory': 'APPEALED',
  Closed: 'CLOSED',
  Band: 'CLOSED',
} as const satisfies Record<string, CanonicalStatus>;

/** Hub category → IGRS department (vibhag) code. Assumed codes: see README.md. */
export const UP_IGRS_DEPARTMENTS = {
  MUNICIPAL_SERVICES: 'NAGAR_VIKAS',
  POLICE: 'GRIH',
  REVENUE_LAND: 'RAJASWA',
  ELECTRICITY: 'URJA',
  WATER_SUPPLY: 'NAMAMI_GANGE_JALAPURTI',
  ROADS: 'LOK_NIRMAN',
  HEALTH: 'CHIKITSA_SWASTHYA',
  EDUCATION: 'BASIC_SHIKSHA',
  SOCIAL_WELFARE_PENSION: 'SAMAJ_KALYAN',
  AGRICULTURE: 'KRISHI',
  FOOD_CIVIL_SUPPLIES: 'KHADYA_RASAD',
  TRANSPORT: 'PARIVAHAN',
} as const;

export const UP_IGRS_DEFAULT_DEPARTMENT = 'SAMANYA_PRASHASAN';

/** Everything UP IGRS needs; `options` in config/portals.yaml is merged over it. */
export const UP_IGRS_PRESETS = {
  submitPath: '/igrs/api/v1/complaints',
  lookupPath: '/igrs/api/v1/complaints/by-reference/{clientRef}',
  healthPath: '/igrs/api/v1/health',
  reminderPath: '/igrs/api/v1/complaints/{externalRef}/reminder',
  appealPath: '/igrs/api/v1/complaints/{externalRef}/reopen-request',
  fieldMap: {
    bahyaSandarbhSankhya: 'clientRef',
    onopTrackingId: 'trackingId',
    'shikayatkarta.naam': 'complainant.name',
    'shikayatkarta.mobileNo': 'complainant.mobile',
    'shikayatkarta.email': 'complainant.email',
    'shikayatkarta.pata': 'location.address',
    'shikayatkarta.pincode': 'location.pincode',
    bhasha: 'complainant.language',
    janpadCode: 'location.districtCode',
    vibhagCode: 'category',
    vishay: 'subject',
    shikayatVivran: 'description',
  },
  constants: { srot: 'ONOP_HUB' },
  categoryMap: UP_IGRS_DEPARTMENTS,
  defaultCategory: UP_IGRS_DEFAULT_DEPARTMENT,
  referenceField: 'shikayatSankhya',
  acceptedAtField: 'panjikaranDinank',
  appealReasonField: 'karan',
  appealReferenceField: 'shikayatSankhya',
  errorMessageField: 'message',
  statusMap: UP_IGRS_STATUS_TABLE,
} as const;

const MAPS = ['fieldMap', 'constants', 'categoryMap', 'statusMap'] as const;

/**
 * Config over presets: other options replace the preset's; the four maps are merged entry by
 * entry. null removes a preset (`reminderPath: null`) or a preset's map entry.
 */
export function mergeUpIgrsOptions(options: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...UP_IGRS_PRESETS, ...options };
  for (const [key, value] of Object.entries(options)) if (value === null) delete merged[key];
  for (const key of MAPS) {
    const override = options[key];
    if (override === null || typeof override !== 'object' || Array.isArray(override)) continue;
    const entries = { ...(UP_IGRS_PRESETS[key] as Record<string, unknown>), ...override };
    merged[key] = Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== null));
  }
  return merged;
}
