import type { AdapterKind } from '../adapter-kind';
import { createOpen311Adapter } from './open311.adapter';
import { startOpen311Sandbox } from './sandbox';

export const open311: AdapterKind = {
  kind: 'open311',
  create: createOpen311Adapter,
  startSandbox: startOpen311Sandbox,
};
