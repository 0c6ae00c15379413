import type { AdapterDeps, AdapterFactory, PortalAdapter, PortalInstance } from './adapter';
import type { AdapterKind } from './adapter-kind';
import * as kinds from './kinds';

/** Every adapter kind by its `kind` in config/portals.yaml (the list: adapters/kinds.ts). */
export const adapterKinds: ReadonlyMap<string, AdapterKind> = new Map(
  Object.values(kinds).map((k) => [k.kind, k]),
);

/** Kind → factory. */
export const adapterFactories: Readonly<Record<string, AdapterFactory>> = Object.fromEntries(
  [...adapterKinds].map(([kind, k]) => [kind, k.create]),
);

export function knownKinds(): string {
  return [...adapterKinds.keys()].sort().join(', ');
}

export function createAdapter(portal: PortalInstance, deps: AdapterDeps): PortalAdapter {
  const kind = adapterKinds.get(portal.kind);
  if (!kind) {
    throw new Error(
      `Portal ${portal.code}: unknown adapter kind "${portal.kind}" (known kinds: ${knownKinds()})`,
    );
  }
  return kind.create(portal, deps);
}
