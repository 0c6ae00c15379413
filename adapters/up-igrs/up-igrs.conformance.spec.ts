import { describeConformance } from '../testing/conformance';
import { startUpIgrsSandbox } from './sandbox';
import { createUpIgrsAdapter } from './up-igrs.adapter';

describeConformance({
  start: startUpIgrsSandbox,
  create: createUpIgrsAdapter,
  portal: { kind: 'up-igrs', code: 'UP-IGRS', credential: { header: 'X-API-Key', value: 'k' } },
  statuses: { Nistarit: 'RESOLVED', 'Sambandhit Nahi': 'TRANSFERRED' },
  pull: false,
});
