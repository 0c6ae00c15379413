import { startSandbox } from '../sandboxes';
import { describeConformance } from '../testing/conformance';
import { AAPLE_SARKAR_OPTIONS } from './sandbox';
import { startOptionsSandbox } from './options-sandbox';
import { createStatePortalRestAdapter } from './state-portal-rest.adapter';

// A state portal that looks nothing like Aaple Sarkar, described only by options: the sandbox
// follows them, and the generic adapter passes the same conformance suite against it.
const KA_SPANDANA = {
  submitPath: '/v2/tickets',
  lookupPath: '/v2/tickets/by-source/{clientRef}',
  healthPath: '/v2/health',
  reminderPath: '/v2/tickets/{externalRef}/nudge',
  fieldMap: {
    sourceRef: 'clientRef',
    'citizen.name': 'complainant.name',
    'citizen.phone': 'complainant.mobile',
    'citizen.email': 'complainant.email',
    'issue.title': 'subject',
    'issue.body': 'description',
    'issue.dept': 'category',
    'place.pin': 'location.pincode',
    'place.address': 'location.address',
  },
  defaultCategory: 'GEN',
  referenceField: 'result.ticket.number',
  acceptedAtField: 'result.ticket.openedAt',
  errorMessageField: 'fault.text',
  statusMap: {
    OPEN: 'DELIVERED',
    WORKING: 'IN_PROGRESS',
    SOLVED: 'RESOLVED',
    'WRONG DEPT': 'TRANSFERRED',
  },
};

describeConformance({
  start: (opts) => startOptionsSandbox(KA_SPANDANA, opts),
  create: createStatePortalRestAdapter,
  portal: {
    kind: 'state-portal-rest',
    code: 'KA-SPANDANA',
    credential: { header: 'X-Api-Token', value: 'ka' },
    options: KA_SPANDANA,
  },
  statuses: { SOLVED: 'RESOLVED', 'WRONG DEPT': 'TRANSFERRED', working: 'IN_PROGRESS' },
  pull: false,
});

describe('the state-portal-rest sandbox follows the portal it stands in for', () => {
  it.each([
    ['KA-SPANDANA options → their paths', KA_SPANDANA, '/v2/health', '/api/v1/ping'],
    [
      'Aaple Sarkar options → the hand-written Aaple Sarkar sandbox',
      AAPLE_SARKAR_OPTIONS,
      '/api/v1/ping',
      '/v2/health',
    ],
  ])('%s', async (_name, portalOptions, served, notServed) => {
    const sandbox = await startSandbox('state-portal-rest', {
      port: 0,
      portalOptions: portalOptions as unknown as Record<string, unknown>,
    });
    try {
      expect((await fetch(`${sandbox.url}${served}`)).status).toBe(200);
      expect((await fetch(`${sandbox.url}${notServed}`)).status).toBe(404);
    } finally {
      await sandbox.close();
    }
  });
});
