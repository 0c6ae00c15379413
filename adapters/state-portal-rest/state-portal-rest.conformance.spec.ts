import { describeConformance } from '../testing/conformance';
import { outbound } from '../testing/fixtures';
import { AAPLE_SARKAR_OPTIONS, startAapleSarkarSandbox } from './sandbox';
import { createStatePortalRestAdapter } from './state-portal-rest.adapter';

describeConformance({
  start: startAapleSarkarSandbox,
  create: createStatePortalRestAdapter,
  portal: {
    kind: 'state-portal-rest',
    code: 'MH-AAPLESARKAR',
    credential: { header: 'X-API-Key', value: 'k' },
    options: AAPLE_SARKAR_OPTIONS as unknown as Record<string, unknown>,
  },
  grievance: (o) =>
    outbound({
      location: { stateCode: '27', districtCode: '490', pincode: '411001', address: 'Pune' },
      ...o,
    }),
  statuses: { Disposed: 'RESOLVED', 'Not Related to Department': 'TRANSFERRED' },
  pull: false,
});
