import {
  startSandboxServer,
  type SandboxOptions,
  type SandboxPortal,
  type SandboxReply,
  type SandboxRoute,
} from '../sandbox-kit';
import { portalRoutes } from '../sandbox-routes';
import { isText, matches, MOBILE, PINCODE, type FieldRule } from '../sandbox-validation';
import type { RegistrationStore, SandboxRegistration } from '../sandbox-store';
import type { OfficerPlan } from '../sandbox-officer';

/** CPGRAMS officers: most grievances are disposed; every fourth is disposed as not actionable. */
export const CPGRAMS_OFFICERS: OfficerPlan = {
  steps: (n) =>
    n % 4 === 3
      ? [
          { native: 'Under Examination' },
          {
            native: 'Disposed as Not Actionable',
            remarks: 'The matter is sub judice; it cannot be taken up as a grievance.',
          },
        ]
      : [
          { native: 'Under Examination' },
          { native: 'Forwarded to Subordinate Organisation' },
          {
            native: 'Case Disposed',
            remarks: 'Action taken by the field office; matter resolved.',
          },
        ],
  appealStatuses: ['Appeal Received'],
  appealSteps: [
    { native: 'Appeal Under Examination' },
    {
      native: 'Appeal Disposed',
      remarks: 'Appellate authority reviewed the disposal and upheld it.',
    },
  ],
};

const RULES: readonly FieldRule[] = [
  { path: 'clientReference', test: isText(1, 64), message: 'must be 1–64 characters' },
  {
    path: 'organisationCode',
    test: matches(/^[A-Z]{2,10}$/),
    message: 'is not a CPGRAMS organisation code',
  },
  { path: 'subject', test: isText(5, 200), message: 'must be 5–200 characters' },
  { path: 'description', test: isText(10, 4000), message: 'must be 10–4000 characters' },
  { path: 'category', test: isText(1, 64), message: 'must be 1–64 characters' },
  { path: 'complainant.name', test: isText(1, 100), message: 'must be 1–100 characters' },
  {
    path: 'complainant.mobile',
    test: matches(MOBILE),
    message: 'must be a 10-digit Indian mobile number',
  },
  {
    path: 'complainant.email',
    optional: true,
    test: matches(/^[^\s@]+@[^\s@]+$/),
    message: 'is not an e-mail address',
  },
  { path: 'address.text', test: isText(1, 500), message: 'must be 1–500 characters' },
  { path: 'address.pincode', test: matches(PINCODE), message: 'must be a 6-digit PIN code' },
  {
    path: 'address.stateCode',
    test: matches(/^\d{2}$/),
    message: 'must be a 2-digit LGD state code',
  },
];

const DISPOSED = ['Case Disposed', 'Disposed', 'Disposed as Not Actionable', 'Rejected', 'Closed'];

const error = (status: number, message: string) => ({
  error: status === 400 ? 'VALIDATION_FAILED' : `HTTP_${status}`,
  message,
});

/** `<ORG>/E/<YYYY>/<7 digits>`, e.g. DARPG/E/2026/0001234. */
const registrationNumber = (org: string, serial: number, at: Date) =>
  `${org}/E/${at.getFullYear()}/${String(serial).padStart(7, '0')}`;

/** `<ORG>/E/A/<YYYY>/<7 digits>`: the organisation of the grievance appealed against. */
const appealNumber = (regNo: string, serial: number, at: Date) =>
  `${regNo.split('/')[0]}/E/A/${at.getFullYear()}/${String(serial).padStart(7, '0')}`;

const view = (r: SandboxRegistration) => ({
  registrationNumber: r.externalRef,
  clientReference: r.clientRef,
  receivedAt: r.receivedAt,
  status: r.nativeStatus,
});

const cpgrams = portalRoutes({
  error,
  notFound: (ref, by) => ({
    status: 404,
    body: error(404, `No grievance ${by === 'clientRef' ? 'with this client reference' : ref}`),
  }),
});

const routes: SandboxRoute[] = [
  cpgrams.register<{ clientReference: string; organisationCode: string }>({
    path: '/api/v1/grievances',
    rules: RULES,
    clientRef: (b) => b.clientReference,
    externalRef: (b, serial, at) => registrationNumber(b.organisationCode, serial, at),
    initialStatus: 'Received',
    reply: (r) => ({
      status: 201,
      body: { registrationNumber: r.externalRef, receivedAt: r.receivedAt, status: r.nativeStatus },
    }),
  }),
  cpgrams.lookup({
    path: '/api/v1/grievances',
    from: { query: 'clientReference' },
    reply: (r) => ({ status: 200, body: view(r) }),
  }),
  {
    method: 'GET',
    path: '/api/v1/status-changes',
    handle: ({ query }, store) => statusChanges(query, store),
  },
  cpgrams.reminder({
    path: '/api/v1/grievances/:regNo/reminders',
    reply: (r, at) => ({
      status: 201,
      body: {
        registrationNumber: r.externalRef,
        reminderCount: r.reminders.length,
        receivedAt: at,
      },
    }),
  }),
  cpgrams.appeal({
    path: '/api/v1/grievances/:regNo/appeal',
    reasonField: 'reason',
    allowedAfter: DISPOSED,
    notAllowed: 'An appeal is allowed only after disposal',
    appealStatus: 'Appeal Received',
    appealRef: (r, store, at) => appealNumber(r.externalRef, store.nextSerial(), at),
    reply: (r, ref, at) => ({
      status: 201,
      body: { appealNumber: ref, registrationNumber: r.externalRef, receivedAt: at.toISOString() },
    }),
  }),
  { method: 'GET', path: '/health', handle: () => ({ status: 200, body: { status: 'UP' } }) },
];

/** The feed's cursor is the sequence number of the last change handed out. */
function statusChanges(query: URLSearchParams, store: RegistrationStore): SandboxReply {
  const since = query.get('since') ?? '0';
  const limit = Number(query.get('limit') ?? '100');
  if (!/^\d+$/.test(since))
    return { status: 400, body: error(400, 'since is not a cursor this portal issued') };
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    return { status: 400, body: error(400, 'limit must be 1–500') };
  const page = store.changesAfter(Number(since), limit + 1);
  const changes = page.slice(0, limit).map((c) => ({
    changeId: `CHG-${c.seq}`, // the same id as the sandbox's eventId below
    registrationNumber: c.externalRef,
    status: c.nativeStatus,
    changedAt: c.at,
    remarks: c.remarks ?? null,
    transferredTo: c.transferredTo ?? null,
  }));
  const last = page.slice(0, limit).at(-1);
  return {
    status: 200,
    body: { changes, nextCursor: last ? String(last.seq) : since, hasMore: page.length > limit },
  };
}

/** A CPGRAMS-like portal: see README.md for the contract it plays. */
export function startCpgramsSandbox(opts: SandboxOptions = {}): Promise<SandboxPortal> {
  return startSandboxServer(
    {
      kind: 'cpgrams',
      routes,
      error,
      validationFaultMessage:
        'description: grievance text contains characters that are not allowed',
      officers: CPGRAMS_OFFICERS,
      // The id the status-change feed gives a change: a push of the same change carries it too.
      eventId: (c) => `CHG-${c.seq}`,
    },
    opts,
  );
}
