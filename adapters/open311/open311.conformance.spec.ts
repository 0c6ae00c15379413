import { describeConformance } from '../testing/conformance';
import { createOpen311Adapter } from './open311.adapter';
import { startOpen311Sandbox } from './sandbox';

// The same contract in both of GeoReport's formats, against the sandbox city server.
for (const format of ['xml', 'json'] as const) {
  describeConformance({
    start: startOpen311Sandbox,
    create: createOpen311Adapter,
    portal: {
      kind: 'open311',
      code: 'LKO-NN',
      credential: { header: 'api_key', value: 'lko-test-key' },
      options: {
        format,
        serviceCodes: { MUNICIPAL_SERVICES: 'SL01', WATER_SUPPLY: 'WS01' },
        clientRefAttribute: 'ONOP_REF',
      },
    },
    statuses: {
      closed: 'CLOSED',
      fixed: 'RESOLVED',
      investigating: 'IN_PROGRESS',
      not_councils_responsibility: 'TRANSFERRED',
      duplicate: 'REJECTED',
    },
    noLookup: true,
    pull: true,
    credentialStatus: 403,
  });
}
