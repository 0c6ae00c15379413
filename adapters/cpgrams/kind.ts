import type { AdapterKind } from '../adapter-kind';
import { createCpgramsAdapter } from './cpgrams.adapter';
import { startCpgramsSandbox } from './sandbox';

export const cpgrams: AdapterKind = {
  kind: 'cpgrams',
  create: createCpgramsAdapter,
  startSandbox: startCpgramsSandbox,
};
