import { startCpgramsSandbox } from './cpgrams/sandbox';
import type { SandboxOptions, SandboxPortal } from './sandbox-kit';
import { startAapleSarkarSandbox } from './state-portal-rest/sandbox';
import { startUpIgrsSandbox } from './up-igrs/sandbox';

export type {
  Fault,
  FaultPlan,
  SandboxOptions,
  SandboxPortal,
  SandboxRegistration,
} from './sandbox-kit';

/** A sandbox portal per adapter kind, for `npm start` and the tests. */
export const sandboxStarters: Record<string, (opts?: SandboxOptions) => Promise<SandboxPortal>> = {
  cpgrams: startCpgramsSandbox,
  // The generic adapter's sandbox plays Maharashtra's Aaple Sarkar (portal MH-AAPLESARKAR).
  'state-portal-rest': startAapleSarkarSandbox,
  'up-igrs': startUpIgrsSandbox,
};

export function startSandbox(kind: string, opts: SandboxOptions = {}): Promise<SandboxPortal> {
  const start = Object.hasOwn(sandboxStarters, kind) ? sandboxStarters[kind] : undefined;
  if (!start) {
    const known = Object.keys(sandboxStarters).join(', ');
    return Promise.reject(
      new Error(`No sandbox portal for adapter kind "${kind}" (known kinds: ${known})`),
    );
  }
  return start(opts);
}
