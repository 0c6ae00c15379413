import type { AdapterDeps, PortalAdapter, PortalInstance } from '../adapter';
import { parseOptions } from '../options-error';
import { StatePortalRestAdapter } from '../state-portal-rest/state-portal-rest.adapter';
import { statePortalOptionsSchema } from '../state-portal-rest/state-portal-rest.options';
import { mergeUpIgrsOptions } from './up-igrs.presets';

/** Uttar Pradesh IGRS: the generic state-portal-rest adapter with UP's paths, fields and statuses. */
export function createUpIgrsAdapter(portal: PortalInstance, deps: AdapterDeps): PortalAdapter {
  const options = parseOptions(
    statePortalOptionsSchema,
    portal,
    mergeUpIgrsOptions(portal.options ?? {}),
  );
  return new StatePortalRestAdapter('up-igrs', portal, deps, options);
}
