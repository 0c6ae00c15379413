import { isDeepStrictEqual } from 'node:util';
import type { AdapterKind } from '../adapter-kind';
import { startOptionsSandbox } from './options-sandbox';
import { AAPLE_SARKAR_OPTIONS, startAapleSarkarSandbox } from './sandbox';
import { createStatePortalRestAdapter } from './state-portal-rest.adapter';

export const statePortalRest: AdapterKind = {
  kind: 'state-portal-rest',
  create: createStatePortalRestAdapter,
  // Aaple Sarkar (MH-AAPLESARKAR) has a hand-written sandbox with its real rules; any other
  // state-portal-rest portal gets one built from its own options.
  startSandbox: (opts = {}) =>
    opts.portalOptions && !isDeepStrictEqual(opts.portalOptions, AAPLE_SARKAR_OPTIONS)
      ? startOptionsSandbox(opts.portalOptions, opts)
      : startAapleSarkarSandbox(opts),
};
