import type { AdapterDeps, AdapterFactory, PortalAdapter, PortalInstance } from './adapter';
import { createCpgramsAdapter } from './cpgrams/cpgrams.adapter';
import { createStatePortalRestAdapter } from './state-portal-rest/state-portal-rest.adapter';
import { createUpIgrsAdapter } from './up-igrs/up-igrs.adapter';

/** Every portal kind the hub can talk to; `kind` in config/portals.yaml picks one. */
export const adapterFactories: Record<string, AdapterFactory> = {
  cpgrams: createCpgramsAdapter,
  'state-portal-rest': createStatePortalRestAdapter,
  'up-igrs': createUpIgrsAdapter,
};

export function createAdapter(portal: PortalInstance, deps: AdapterDeps): PortalAdapter {
  const factory = Object.hasOwn(adapterFactories, portal.kind)
    ? adapterFactories[portal.kind]
    : undefined;
  if (!factory) {
    const known = Object.keys(adapterFactories).join(', ');
    throw new Error(
      `Portal ${portal.code}: unknown adapter kind "${portal.kind}" (known kinds: ${known})`,
    );
  }
  return factory(portal, deps);
}
