import { describeConformance } from '../testing/conformance';
import { outbound } from '../testing/fixtures';
import { createCpgramsAdapter } from './cpgrams.adapter';
import { startCpgramsSandbox } from './sandbox';

describeConformance({
  start: startCpgramsSandbox,
  create: createCpgramsAdapter,
  portal: { kind: 'cpgrams', code: 'CPGRAMS', credential: { header: 'X-API-Key', value: 'k' } },
  grievance: (o) => outbound({ ministryCode: 'MORLY', ...o }),
  statuses: {
    'Under Examination': 'IN_PROGRESS',
    'Case Disposed': 'RESOLVED',
    'Does Not Pertain': 'TRANSFERRED',
  },
  pull: true,
});
