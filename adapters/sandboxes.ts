import { startCpgramsSandbox } from './cpgrams/sandbox';
import type { SandboxOptions, SandboxPortal } from './sandbox-kit';
import { isDeepStrictEqual } from 'node:util';
import { startOptionsSandbox } from './state-portal-rest/options-sandbox';
import { AAPLE_SARKAR_OPTIONS, startAapleSarkarSandbox } from './state-portal-rest/sandbox';
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
  // Aaple Sarkar (MH-AAPLESARKAR) has a hand-written sandbox with its real rules; any other
  // state-portal-rest portal gets one built from its own options.
  'state-portal-rest': (opts = {}) =>
    opts.portalOptions && !isDeepStrictEqual(opts.portalOptions, AAPLE_SARKAR_OPTIONS)
      ? startOptionsSandbox(opts.portalOptions, opts)
      : startAapleSarkarSandbox(opts),
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
