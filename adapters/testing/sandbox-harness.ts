// Set-up shared by the adapters' sandbox specs: each adapter against its portal's sandbox, over
// real HTTP. Test-only: the build leaves adapters/testing out.
import type { AdapterFactory, PortalAdapter } from '../adapter';
import type { SandboxOptions, SandboxPortal } from '../sandbox-kit';
import { adapterFor, type PortalSpec } from './fixtures';

export type SandboxStarter = (opts?: SandboxOptions) => Promise<SandboxPortal>;

/** A portal as its sandbox spec configures it; the sandbox demands the same credential. */
export type SandboxedPortalSpec = Omit<PortalSpec, 'baseUrl' | 'credential'> & {
  credential: { header: string; value: string };
};

export interface SandboxedAdapter {
  sandbox: SandboxPortal;
  adapter: PortalAdapter;
}

/** Starts a portal's sandbox and points an adapter at it. The caller closes the sandbox. */
export async function startWithAdapter(
  start: SandboxStarter,
  create: AdapterFactory,
  portal: SandboxedPortalSpec,
  opts: SandboxOptions = {},
): Promise<SandboxedAdapter> {
  const sandbox = await start({ ...opts, credential: portal.credential });
  return { sandbox, adapter: adapterFor(create, { ...portal, baseUrl: sandbox.url }) };
}

/**
 * One sandbox for the enclosing describe block, emptied after each test. The fields are filled
 * in beforeAll, so read them inside tests, not while the block is being declared.
 */
export function useSandbox(
  start: SandboxStarter,
  create: AdapterFactory,
  portal: SandboxedPortalSpec,
): Readonly<SandboxedAdapter> {
  const live = {} as SandboxedAdapter;
  beforeAll(async () => {
    Object.assign(live, await startWithAdapter(start, create, portal));
  });
  afterEach(() => live.sandbox.reset());
  afterAll(() => live.sandbox.close());
  return live;
}
