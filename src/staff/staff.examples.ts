/** Response examples for /docs (checked against real responses by openapi-contract.e2e-spec). */

const maskedComplainant = {
  name: 'A*** V****',
  mobile: '******3210',
  email: 'a***@example.in',
  address: '[masked]',
};

const listed = {
  trackingId: 'ONOP-7KQ2-M9XD-4TPA',
  status: 'IN_PROGRESS',
  portalCode: 'UP-IGRS',
  externalRef: 'IGRS/2026/40012345',
  stateCode: '09',
  districtCode: '162',
  category: 'MUNICIPAL_SERVICES',
  subject: 'Streetlights not working for 3 weeks',
  createdAt: '2026-10-17T10:23:11.839Z',
  slaDueAt: '2026-11-21T10:23:11.839Z',
  resolvedAt: null,
  overdue: true,
  complainant: maskedComplainant,
  mobileVerified: false,
};

export const STAFF_SEARCH_EXAMPLE = { items: [listed], nextCursor: null };

export const STAFF_DETAIL_EXAMPLE = {
  trackingId: listed.trackingId,
  status: 'IN_PROGRESS',
  subject: listed.subject,
  description: 'All streetlights on the main road of Sector 12 have been off for three weeks.',
  category: listed.category,
  ministryCode: null,
  stateCode: '09',
  districtCode: '162',
  pincode: '226010',
  language: 'hi',
  primaryPortalCode: 'UP-IGRS',
  routingRule: 'state-grievance-to-state-portal',
  slaDueAt: listed.slaDueAt,
  deliveredAt: '2026-10-17T10:23:14.102Z',
  closedAt: null,
  resolvedAt: null,
  resolvedByPortal: null,
  resolutionRemarks: null,
  feedbackRating: null,
  feedbackAt: null,
  appealedAt: null,
  appealDueAt: null,
  appealDecision: null,
  appealDecidedAt: null,
  transferredAt: null,
  statusAt: '2026-10-20T06:02:00.000Z',
  feedbackComment: null,
  createdAt: listed.createdAt,
  updatedAt: '2026-10-20T06:02:01.311Z',
  piiErasedAt: null,
  channel: 'api',
  partnerAppId: null,
  mobileVerified: false,
  clusterId: null,
  dispatches: [
    {
      id: '12a798b7-d570-4e30-a9a1-04e6e44b57bd',
      portalCode: 'UP-IGRS',
      primary: true,
      status: 'DELIVERED',
      externalRef: listed.externalRef,
      attempts: 1,
      inFlightSince: null,
      possibleDuplicate: false,
      portalToken: null,
      lastError: null,
      deliveredAt: '2026-10-17T10:23:14.102Z',
      failedAt: null,
      lastSyncedAt: '2026-10-20T06:02:01.311Z',
      createdAt: listed.createdAt,
      updatedAt: '2026-10-20T06:02:01.311Z',
    },
  ],
  statusEvents: [],
  slaActions: [],
  complainant: maskedComplainant,
};

export const UNMASK_EXAMPLE = {
  trackingId: listed.trackingId,
  complainant: {
    name: 'Asha Verma',
    mobile: '9876543210',
    email: 'asha@example.in',
    address: 'House 14, Sector 12, Gomti Nagar',
  },
};

export const RETRY_EXAMPLE = {
  dispatchId: '12a798b7-d570-4e30-a9a1-04e6e44b57bd',
  portalCode: 'UP-IGRS',
  status: 'PENDING',
};

export const PORTALS_EXAMPLE = [
  {
    portalCode: 'UP-IGRS',
    name: 'Uttar Pradesh IGRS (Jansunwai)',
    kind: 'up-igrs',
    mode: 'push',
    lastDeliveryAt: '2026-11-26T10:14:02.511Z',
    deliveredLast24h: 412,
    failedLast24h: 3,
    failureRatePct: 0.7,
    circuit: 'closed',
    backlog: {
      pendingDispatches: 2,
      failedDispatches: 1,
      queue: { waiting: 2, active: 0, delayed: 0, failed: 0 },
    },
  },
];

export const AUDIT_EXAMPLE = {
  items: [
    {
      id: 'baf01236-d231-4f99-b545-0e734db97811',
      at: '2026-11-26T10:23:12.127Z',
      apiKeyId: 'fb633b85-eb6e-4b83-8a11-60aeba6910b7',
      actor: 'District officer, Lucknow',
      role: 'admin',
      action: 'pii.unmask',
      target: listed.trackingId,
      outcome: 'ok',
      detail: { query: {} },
      requestId: '7850b56a-5079-4e79-8657-712399e84658',
      clientRequestId: 'app-req-000123',
    },
  ],
};

export const CLUSTERS_EXAMPLE = {
  items: [
    {
      clusterId: '5b0f7c1e-2d7e-4d38-9a51-0c1f6f0e9a11',
      stateCode: '09',
      districtCode: '162',
      category: 'MUNICIPAL_SERVICES',
      pincode: '226010',
      size: 3,
      open: 3,
      firstAt: '2026-10-17T10:23:11.839Z',
      lastAt: '2026-10-19T08:01:45.120Z',
      trackingIds: ['ONOP-7KQ2-M9XD-4TPA', 'ONOP-H3RT-2MXK-9QWE', 'ONOP-PZ4N-8DKC-3VBA'],
    },
  ],
};

export const COMPLAINANTS_EXAMPLE = {
  items: [
    {
      complainantKey: '3f6c2a9e0d4b7c18e5a2f90b1d6e4c3a7b8f0e2d1c9a6b5e4f3d2c1b0a9e8f7d',
      grievances: 14,
      open: 9,
      lastAt: '2026-11-20T05:12:09.004Z',
      latestTrackingId: 'ONOP-7KQ2-M9XD-4TPA',
    },
  ],
};
