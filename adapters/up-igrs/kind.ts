import type { AdapterKind } from '../adapter-kind';
import { startUpIgrsSandbox } from './sandbox';
import { createUpIgrsAdapter } from './up-igrs.adapter';

export const upIgrs: AdapterKind = {
  kind: 'up-igrs',
  create: createUpIgrsAdapter,
  startSandbox: startUpIgrsSandbox,
};
