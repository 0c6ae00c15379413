import {
  startSandboxServer,
  type SandboxOptions,
  type SandboxPortal,
  type SandboxRoute,
} from '../sandbox-kit';
import { portalRoutes } from '../sandbox-routes';
import { isText, matches, MOBILE, type FieldRule } from '../sandbox-validation';
import type { SandboxRegistration } from '../sandbox-store';
import type { OfficerPlan } from '../sandbox-officer';
import { UP_IGRS_DEFAULT_DEPARTMENT, UP_IGRS_DEPARTMENTS } from './up-igrs.presets';

/**
 * IGRS officers: most complaints are disposed (nistarit); every third is "not pertaining" and
 * goes to CPGRAMS, the central portal, as a transfer — never a closure.
 */
export const UP_IGRS_OFFICERS: OfficerPlan = {
  steps: (n) =>
    n % 3 === 2
      ? [
          { native: 'Prakriyadheen' },
          {
            native: 'Not Pertaining',
            transferredTo: 'CPGRAMS',
            remarks: 'Vishay kendriya vibhag se sambandhit (concerns a central ministry)',
          },
        ]
      : [
          { native: 'Prakriyadheen' },
          { native: 'Agrasarit' },
          {
            native: 'Nistarit',
            remarks: 'Shikayat ka nistaran kar diya gaya (work completed on site)',
          },
        ],
  appealStatuses: ['Re-examination Requested'],
  appealSteps: [
    { native: 'Reverted for Re-examination' },
    { native: 'Nistarit', remarks: 'Punah jaanch ke baad nistarit (re-examined and disposed)' },
  ],
};

const DEPARTMENTS: readonly unknown[] = [
  ...Object.values(UP_IGRS_DEPARTMENTS),
  UP_IGRS_DEFAULT_DEPARTMENT,
];

// UP's 75 districts by LGD code (118–187, and the five created later).
const isUpDistrict = (v: unknown) => {
  const code = Number(v);
  return (
    typeof v === 'string' &&
    /^\d{3}$/.test(v) &&
    ((code >= 118 && code <= 187) || [633, 640, 659, 660, 661].includes(code))
  );
};

const RULES: readonly FieldRule[] = [
  { path: 'bahyaSandarbhSankhya', test: isText(1, 64), message: 'must be 1–64 characters' },
  { path: 'shikayatkarta.naam', test: isText(1, 100), message: 'must be 1–100 characters' },
  {
    path: 'shikayatkarta.mobileNo',
    test: matches(MOBILE),
    message: 'must be a 10-digit mobile number',
  },
  { path: 'shikayatkarta.pata', test: isText(1, 500), message: 'must be 1–500 characters' },
  {
    path: 'shikayatkarta.pincode',
    test: matches(/^2[0-8]\d{4}$/),
    message: 'is not a Uttar Pradesh PIN code',
  },
  {
    path: 'janpadCode',
    optional: true,
    test: isUpDistrict,
    message: 'is not a district of Uttar Pradesh',
  },
  {
    path: 'vibhagCode',
    test: (v) => DEPARTMENTS.includes(v),
    message: 'is not an IGRS department',
  },
  { path: 'vishay', test: isText(5, 250), message: 'must be 5–250 characters' },
  { path: 'shikayatVivran', test: isText(10, 4000), message: 'must be 10–4000 characters' },
];

const error = (status: number, message: string) => ({
  success: false,
  errorCode: status === 400 ? 'E_VALIDATION' : status === 404 ? 'E_NOT_FOUND' : `E_${status}`,
  message,
});

/**
 * 14 digits: "40" (complaints from integrated systems), the 4-digit district code (0000 when
 * none), the 2-digit year, a 6-digit serial — e.g. 40016226000123. An assumption: see README.md.
 */
function shikayatSankhya(janpad: unknown, serial: number, at: Date): string {
  const district =
    typeof janpad === 'string' && /^\d{1,4}$/.test(janpad) ? janpad.padStart(4, '0') : '0000';
  return `40${district}${String(at.getFullYear() % 100).padStart(2, '0')}${String(serial % 1e6).padStart(6, '0')}`;
}

const view = (r: SandboxRegistration) => ({
  success: true,
  shikayatSankhya: r.externalRef,
  bahyaSandarbhSankhya: r.clientRef,
  panjikaranDinank: r.receivedAt,
  sthiti: r.nativeStatus,
});

const igrs = portalRoutes({
  error,
  notFound: () => ({ status: 404, body: error(404, 'Shikayat nahi mili (complaint not found)') }),
});

const routes: SandboxRoute[] = [
  igrs.register<{ bahyaSandarbhSankhya: string; janpadCode?: string }>({
    path: '/igrs/api/v1/complaints',
    rules: RULES,
    clientRef: (b) => b.bahyaSandarbhSankhya,
    externalRef: (b, serial, at) => shikayatSankhya(b.janpadCode, serial, at),
    initialStatus: 'Lambit',
    reply: (r) => ({ status: 201, body: view(r) }),
  }),
  igrs.lookup({
    path: '/igrs/api/v1/complaints/by-reference/:clientRef',
    from: { param: 'clientRef' },
    reply: (r) => ({ status: 200, body: view(r) }),
  }),
  igrs.reminder({
    path: '/igrs/api/v1/complaints/:shikayatSankhya/reminder',
    reply: (r) => ({
      status: 201,
      body: { success: true, shikayatSankhya: r.externalRef, anusmarakSankhya: r.reminders.length },
    }),
  }),
  igrs.appeal({
    path: '/igrs/api/v1/complaints/:shikayatSankhya/reopen-request',
    reasonField: 'karan',
    allowedAfter: ['Nistarit', 'Disposed', 'Vishesh Nistaran', 'Special Closure', 'Band', 'Closed'],
    notAllowed: 'Only a disposed complaint can be reopened',
    appealStatus: 'Re-examination Requested',
    // IGRS re-examines under the same complaint number.
    appealRef: (r) => r.externalRef,
    reply: (r, _ref, at) => ({
      status: 201,
      body: { ...view(r), panjikaranDinank: at.toISOString() },
    }),
  }),
  {
    method: 'GET',
    path: '/igrs/api/v1/health',
    handle: () => ({ status: 200, body: { success: true, sthiti: 'UP' } }),
  },
];

export function startUpIgrsSandbox(opts: SandboxOptions = {}): Promise<SandboxPortal> {
  return startSandboxServer(
    {
      kind: 'up-igrs',
      routes,
      error,
      validationFaultMessage:
        'janpadCode aur shikayatkarta.pincode mel nahi khate (district and PIN code do not match)',
      officers: UP_IGRS_OFFICERS,
    },
    opts,
  );
}
