import {
  startSandboxServer,
  type SandboxOptions,
  type SandboxPortal,
  type SandboxReply,
  type SandboxRoute,
} from '../sandbox-kit';
import { portalRoutes } from '../sandbox-routes';
import { isText, matches, MOBILE, PINCODE, type FieldRule } from '../sandbox-validation';
import type { SandboxRegistration } from '../sandbox-store';
import type { OfficerPlan } from '../sandbox-officer';

/** Aaple Sarkar officers: most grievances are disposed, every fourth is rejected with reasons. */
export const AAPLE_SARKAR_OFFICERS: OfficerPlan = {
  steps: (n) =>
    n % 4 === 3
      ? [
          { native: 'In Process' },
          { native: 'Rejected', remarks: 'Policy matter; not within the scope of a grievance.' },
        ]
      : [
          { native: 'In Process' },
          { native: 'Forwarded to Department' },
          { native: 'Disposed', remarks: 'Department completed the work.' },
        ],
  appealStatuses: ['Appeal Filed'],
  appealSteps: [
    { native: 'Reopened' },
    { native: 'Disposed', remarks: 'Appeal heard; department completed the remaining work.' },
  ],
};

/**
 * A Maharashtra "Aaple Sarkar"-like grievance portal with its own fixed contract (README.md).
 * The hub reaches it through the generic state-portal-rest adapter, configured by
 * AAPLE_SARKAR_OPTIONS — the same block config/portals.yaml carries for MH-AAPLESARKAR.
 */
export const AAPLE_SARKAR_DEPARTMENTS = [
  'GAD',
  'UDD',
  'HOME',
  'REV',
  'ENERGY',
  'WSSD',
  'PWD',
  'PHD',
  'SEDD',
  'SJSAD',
  'AGRI',
  'FCSCP',
  'TRANSPORT',
] as const;

export const AAPLE_SARKAR_OPTIONS = {
  submitPath: '/api/v1/grievance/register',
  lookupPath: '/api/v1/grievance/status?externalRefNo={clientRef}',
  healthPath: '/api/v1/ping',
  reminderPath: '/api/v1/grievance/{externalRef}/reminder',
  appealPath: '/api/v1/grievance/{externalRef}/appeal',
  fieldMap: {
    externalRefNo: 'clientRef',
    'applicant.fullName': 'complainant.name',
    'applicant.mobileNo': 'complainant.mobile',
    'applicant.emailId': 'complainant.email',
    'applicant.language': 'complainant.language',
    'grievance.subject': 'subject',
    'grievance.details': 'description',
    'grievance.departmentCode': 'category',
    'grievance.districtLgdCode': 'location.districtCode',
    'grievance.pincode': 'location.pincode',
    'grievance.address': 'location.address',
    'grievance.onopTrackingId': 'trackingId',
  },
  constants: { sourceSystem: 'ONOP-HUB' },
  categoryMap: {
    MUNICIPAL_SERVICES: 'UDD',
    POLICE: 'HOME',
    REVENUE_LAND: 'REV',
    ELECTRICITY: 'ENERGY',
    WATER_SUPPLY: 'WSSD',
    ROADS: 'PWD',
    HEALTH: 'PHD',
    EDUCATION: 'SEDD',
    SOCIAL_WELFARE_PENSION: 'SJSAD',
    AGRICULTURE: 'AGRI',
    FOOD_CIVIL_SUPPLIES: 'FCSCP',
    TRANSPORT: 'TRANSPORT',
  },
  defaultCategory: 'GAD',
  referenceField: 'data.grievanceId',
  acceptedAtField: 'data.registeredOn',
  appealReasonField: 'appealReason',
  appealReferenceField: 'data.appealId',
  errorMessageField: 'message',
  statusMap: {
    Registered: 'DELIVERED',
    Pending: 'DELIVERED',
    'In Process': 'IN_PROGRESS',
    'Forwarded to Department': 'IN_PROGRESS',
    'Transferred to Other Department': 'TRANSFERRED',
    'Not Related to Department': 'TRANSFERRED',
    Disposed: 'RESOLVED',
    Rejected: 'REJECTED',
    'Appeal Filed': 'APPEALED',
    Reopened: 'IN_PROGRESS',
    Closed: 'CLOSED',
  },
} as const;

const RULES: readonly FieldRule[] = [
  { path: 'externalRefNo', test: isText(1, 64), message: 'must be 1–64 characters' },
  { path: 'applicant.fullName', test: isText(1, 100), message: 'must be 1–100 characters' },
  {
    path: 'applicant.mobileNo',
    test: matches(MOBILE),
    message: 'must be a 10-digit mobile number',
  },
  { path: 'grievance.subject', test: isText(5, 250), message: 'must be 5–250 characters' },
  { path: 'grievance.details', test: isText(10, 5000), message: 'must be 10–5000 characters' },
  {
    path: 'grievance.departmentCode',
    test: (v) => (AAPLE_SARKAR_DEPARTMENTS as readonly unknown[]).includes(v),
    message: 'is not an Aaple Sarkar department',
  },
  { path: 'grievance.pincode', test: matches(PINCODE), message: 'must be a 6-digit PIN code' },
  { path: 'grievance.address', test: isText(1, 500), message: 'must be 1–500 characters' },
];

const error = (_status: number, message: string) => ({ status: 'FAILURE', message });
const ok = (status: number, data: unknown): SandboxReply => ({
  status,
  body: { status: 'SUCCESS', data },
});

/** `MH/<YYYY>/AS/<6 digits>`, e.g. MH/2026/AS/000123. */
const grievanceId = (serial: number, at: Date) =>
  `MH/${at.getFullYear()}/AS/${String(serial).padStart(6, '0')}`;

const view = (r: SandboxRegistration) => ({
  grievanceId: r.externalRef,
  registeredOn: r.receivedAt,
  currentStatus: r.nativeStatus,
});

const aapleSarkar = portalRoutes({
  error,
  notFound: () => ({ status: 404, body: error(404, 'No grievance found') }),
});

const routes: SandboxRoute[] = [
  aapleSarkar.register<{ externalRefNo: string }>({
    path: '/api/v1/grievance/register',
    rules: RULES,
    clientRef: (b) => b.externalRefNo,
    externalRef: (_b, serial, at) => grievanceId(serial, at),
    initialStatus: 'Registered',
    reply: (r) => ok(200, view(r)),
  }),
  aapleSarkar.lookup({
    path: '/api/v1/grievance/status',
    from: { query: 'externalRefNo' },
    reply: (r) => ok(200, view(r)),
  }),
  aapleSarkar.reminder({
    path: '/api/v1/grievance/:grievanceId/reminder',
    reply: (r) => ok(200, { grievanceId: r.externalRef, reminders: r.reminders.length }),
  }),
  aapleSarkar.appeal({
    path: '/api/v1/grievance/:grievanceId/appeal',
    reasonField: 'appealReason',
    allowedAfter: ['Disposed', 'Rejected', 'Closed'],
    notAllowed: 'Appeal can be filed only after disposal',
    appealStatus: 'Appeal Filed',
    // Appeals are numbered under the grievance: MH/2026/AS/000123/A1, /A2 …
    appealRef: (r) => `${r.externalRef}/A${r.appeals.length + 1}`,
    reply: (r, appealId, at) =>
      ok(200, { appealId, grievanceId: r.externalRef, registeredOn: at.toISOString() }),
  }),
  { method: 'GET', path: '/api/v1/ping', handle: () => ok(200, { alive: true }) },
];

export function startAapleSarkarSandbox(opts: SandboxOptions = {}): Promise<SandboxPortal> {
  return startSandboxServer(
    {
      kind: 'state-portal-rest',
      routes,
      error,
      validationFaultMessage: 'grievance.pincode does not belong to the selected district',
      officers: AAPLE_SARKAR_OFFICERS,
    },
    opts,
  );
}
