import { adapterKinds, knownKinds } from './registry';
import type { SandboxOptions, SandboxPortal } from './sandbox-kit';

export type {
  Fault,
  FaultPlan,
  SandboxOptions,
  SandboxPortal,
  SandboxRegistration,
} from './sandbox-kit';

/** The sandbox portal of an adapter kind (its kind.ts), for `npm start` and the tests. */
export function startSandbox(kind: string, opts: SandboxOptions = {}): Promise<SandboxPortal> {
  const known = adapterKinds.get(kind);
  if (!known) {
    return Promise.reject(
      new Error(`No sandbox portal for adapter kind "${kind}" (known kinds: ${knownKinds()})`),
    );
  }
  return known.startSandbox(opts);
}
