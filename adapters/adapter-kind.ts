import type { AdapterFactory } from './adapter';
import type { SandboxOptions, SandboxPortal } from './sandbox-kit';

/**
 * One adapter kind, as its folder's `kind.ts` describes it: the factory the hub builds portals
 * with, and the sandbox portal `npm start` and the tests run for it .
 * Listed once, in adapters/kinds.ts.
 */
export interface AdapterKind {
  /** `kind` in config/portals.yaml. */
  kind: string;
  create: AdapterFactory;
  startSandbox(opts?: SandboxOptions): Promise<SandboxPortal>;
}
