import axios from 'axios';
import {
  isTokenResult,
  type AdapterDeps,
  type AdapterFactory,
  type CallOptions,
  type OutboundGrievance,
  type PortalAdapter,
  type PortalInstance,
  type SubmitResult,
} from '../adapter';

// Test data for adapter specs. No jest globals here: this file is also compiled by the build.

export const PERSON = {
  name: 'Kamla Devi Srivastava',
  mobile: '9123456780',
  email: 'kamla.srivastava@example.in',
  address: 'Mohalla Chowk Bazaar, Near Hanuman Mandir',
} as const;

export function outbound(overrides: Partial<OutboundGrievance> = {}): OutboundGrievance {
  return {
    clientRef: 'disp_01HZX4K8M2Q7',
    trackingId: 'ONOP-7KQ2-M9XD-4TPA',
    subject: 'Streetlights not working for 3 weeks',
    description: 'All streetlights on the main road of Sector 12 have been off for three weeks.',
    category: 'MUNICIPAL_SERVICES',
    ministryCode: null,
    location: { stateCode: '09', districtCode: '162', pincode: '226010', address: PERSON.address },
    complainant: { name: PERSON.name, mobile: PERSON.mobile, email: PERSON.email, language: 'hi' },
    lodgedAt: '2026-01-05T10:00:00.000Z',
    ...overrides,
  };
}

export const CALL: CallOptions = { correlationId: 'corr-42', timeoutMs: 2_000 };

/** The credential portalInstance() configures unless told otherwise. */
export const TEST_CREDENTIAL = { header: 'X-API-Key', value: 'test-key' } as const;

export function portalInstance(over: PortalSpec): PortalInstance {
  return {
    code: over.kind.toUpperCase(),
    name: over.kind,
    baseUrl: 'https://portal.test',
    credential: { ...TEST_CREDENTIAL },
    options: {},
    ...over,
  };
}

export function plainDeps(): AdapterDeps {
  return { http: axios.create() };
}

export type PortalSpec = Partial<PortalInstance> & Pick<PortalInstance, 'kind'>;

/** An adapter made the way the registry makes it, for portalInstance(portal), over plain axios. */
export function adapterFor(create: AdapterFactory, portal: PortalSpec): PortalAdapter {
  return create(portalInstance(portal), plainDeps());
}

/** The complainant's personal data found in a text (an error message, a log line). */
export function personalDataIn(text: string): string[] {
  return Object.values(PERSON).filter((value) => text.includes(value));
}

/** Runs a call expected to fail and returns what it threw. */
export async function failure(call: () => Promise<unknown>): Promise<Error> {
  try {
    await call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

/** A transport error as Node raises it (nock needs a real Error to pass the code on). */
export function netError(code: string, message = `connect ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

const OPTIONAL_METHODS = [
  'lookup',
  'resolveToken',
  'findSubmitted',
  'fetchUpdates',
  'parseWebhook',
  'mapStatus',
  'sendReminder',
  'submitAppeal',
  'verifyPush',
] as const;

/** The optional methods an adapter has: its capabilities, since the methods are the capabilities. */
export function methodsOf(adapter: PortalAdapter): string[] {
  return OPTIONAL_METHODS.filter(
    (m) => typeof (adapter as unknown as Record<string, unknown>)[m] === 'function',
  );
}

/** A submit that must answer a reference at once (not an asynchronous portal's token). */
export async function registered(
  adapter: PortalAdapter,
  g: OutboundGrievance,
  opts: CallOptions,
): Promise<SubmitResult> {
  const result = await adapter.submit(g, opts);
  if (isTokenResult(result)) throw new Error(`expected a reference, got token ${result.token}`);
  return result;
}
