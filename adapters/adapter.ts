// The contract between the hub and every external grievance portal.
// Adapters are plain classes: no Nest, nothing imported from src/. The hub creates them
// from config through the registry (adapters/registry.ts) and never imports one directly.
import type { AxiosRequestConfig } from 'axios';

export const CANONICAL_STATUSES = [
  'RECEIVED',
  'ROUTED',
  'DELIVERED',
  'IN_PROGRESS',
  'RESOLVED',
  'REJECTED',
  'CLOSED',
  'TRANSFERRED',
  'APPEALED',
  'DISPATCH_FAILED',
] as const;
export type CanonicalStatus = (typeof CANONICAL_STATUSES)[number];

/** What the hub hands an adapter to register at a portal. Personal data is decrypted only for this call. */
export interface OutboundGrievance {
  /** The hub's dispatch id: sent to the portal as its client reference, the key for `lookup`. */
  clientRef: string;
  trackingId: string;
  subject: string;
  description: string;
  /** Hub category code, e.g. MUNICIPAL_SERVICES. */
  category: string;
  /** Ministry / department code for central grievances (CPGRAMS organisation code). */
  ministryCode: string | null;
  location: {
    stateCode: string;
    districtCode: string | null;
    pincode: string;
    address: string;
  };
  complainant: {
    name: string;
    mobile: string;
    email: string | null;
    language: string;
  };
  lodgedAt: string;
}

export interface CallOptions {
  correlationId: string;
  /** Per-call time limit; an adapter turns an expiry into an ambiguous RetryableError. */
  timeoutMs: number;
}

export interface SubmitResult {
  /** The portal's own reference number, stored exactly as the portal wrote it. */
  externalRef: string;
  acceptedAt: string;
  raw: unknown;
}

/**
 * An asynchronous portal's answer to a submit (e.g. an Open311 `batch` service): it took the
 * grievance and will give it a reference later. The hub stores the token on the dispatch and asks
 * `resolveToken` until the reference is known; only then is the dispatch DELIVERED.
 */
export interface TokenResult {
  kind: 'token';
  /** The portal's token, stored exactly as the portal wrote it. */
  token: string;
  acceptedAt: string;
  raw: unknown;
  /** Never set: lets code read `externalRef` on either answer without narrowing first. */
  externalRef?: undefined;
}

/** What a submit answers: a reference at once, or a token to resolve later. */
export type SubmitOutcome = SubmitResult | TokenResult;

export function isTokenResult(result: SubmitOutcome): result is TokenResult {
  return (result as TokenResult).kind === 'token';
}

export type Cursor = string | null;

export interface StatusUpdate {
  eventId: string;
  externalRef: string;
  status: CanonicalStatus;
  nativeStatus: string;
  occurredAt: string;
  remarks?: string;
  transferredTo?: string;
  raw: unknown;
}

/**
 * What the hub tells a poll when the adapter asks for it (`pollByReference`): a page of the
 * portal's open references, so a portal that can be asked by reference need not scan its recent
 * requests. Successive polls page through all of them (docs/adapters.md#polling-by-reference).
 */
export interface PollScope {
  /**
   * The portal's references of dispatches DELIVERED to it whose grievance is not closed (not
   * RESOLVED, REJECTED or CLOSED): at most `pollByReference.perPoll`, the next page at the next
   * poll, from the first again after the last. Empty when nothing is open.
   */
  openRefs: readonly string[];
  /**
   * Which of `refs` are references of the hub's own deliveries to this portal (in any state):
   * for a feed that lists every request of the portal, so others' updates are skipped.
   */
  ours(refs: readonly string[]): Promise<ReadonlySet<string>>;
}

export interface InboundRequest {
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
  body: unknown;
}

/**
 * The methods are the capabilities: an adapter leaves out what its portal cannot do, and the hub
 * tests for the method before calling it. Config load checks the methods against the portal's
 * entry (docs/adapters.md#what-config-load-checks): a pull portal needs `fetchUpdates`, a push
 * portal `mapStatus` or `parseWebhook`, and a portal without `lookup` must say `lookup: none`.
 */
/**
 * A push verifier's answer. `secretIndex`: which secret signed it (1 = the previous one, during a
 * rotation). `reason`: a short stable code (a metrics label); `detail`: what the portal is told.
 */
export type PushVerdict =
  { ok: true; secretIndex: number } | { ok: false; reason: string; detail: string };

export interface PortalAdapter {
  readonly kind: string;
  /** Registers the grievance; an asynchronous portal answers a token (then `resolveToken` is required). */
  submit(g: OutboundGrievance, opts: CallOptions): Promise<SubmitOutcome>;
  /**
   * The reference a submit's token stands for, once the portal has one; null while the portal is
   * still processing it (the hub asks again on the delivery's retry schedule).
   */
  resolveToken?(token: string, opts: CallOptions): Promise<SubmitResult | null>;
  /**
   * Finds a grievance by the client reference we sent. Without it an ambiguous failure is
   * submitted again (at-least-once) and the dispatch is flagged to staff as a possible duplicate.
   */
  lookup?(clientRef: string, opts: CallOptions): Promise<SubmitResult | null>;
  /**
   * For a portal without `lookup`: a best-effort search for a grievance an ambiguous attempt may
   * have registered (e.g. our reference in the description of the portal's recent requests). A
   * hit is delivered without a second submit; null proves nothing, so the hub re-submits and
   * flags the dispatch as a possible duplicate.
   */
  findSubmitted?(g: OutboundGrievance, opts: CallOptions): Promise<SubmitResult | null>;
  /**
   * Optional: set by an adapter that polls by reference. The hub then passes `fetchUpdates` a
   * `PollScope` with up to `perPoll` open references. Absent: `fetchUpdates` gets no scope.
   */
  readonly pollByReference?: { perPoll: number };
  /**
   * `scope`: given only to an adapter that sets `pollByReference` (and then on every poll);
   * an adapter must still work without it (an older hub, a direct call).
   */
  fetchUpdates?(
    since: Cursor,
    opts: CallOptions,
    scope?: PollScope,
  ): Promise<{ events: StatusUpdate[]; next: Cursor }>;
  parseWebhook?(req: InboundRequest): StatusUpdate[];
  /**
   * The adapter's one status table, for events the portal pushes in the hub's own format.
   * Throws UnknownNativeStatusError for a status the table does not know.
   */
  mapStatus?(nativeStatus: string): CanonicalStatus;
  /**
   * Decides whether a push came from the portal, on the raw bytes before anything parses them.
   * `secrets`: the portal's current webhook secret, then a previous one during a rotation.
   * Absent: the hub's own scheme, `verifyHubPush` in adapters/push-signature.ts.
   */
  verifyPush?(
    rawBody: Buffer,
    headers: InboundRequest['headers'],
    secrets: readonly string[],
  ): PushVerdict;
  sendReminder?(externalRef: string, opts: CallOptions): Promise<void>;
  submitAppeal?(externalRef: string, reason: string, opts: CallOptions): Promise<SubmitResult>;
  healthCheck(opts: CallOptions): Promise<{ ok: boolean; detail?: string }>;
}

/** One portal instance as configured in config/portals.yaml, secrets already resolved from the environment. */
export interface PortalInstance {
  code: string;
  name: string;
  kind: string;
  baseUrl: string;
  /** Credential the portal expects on every call (e.g. an API key header). */
  credential: { header: string; value: string } | null;
  /** Kind-specific options (paths, field mapping, status map …), validated by the adapter's factory. */
  options: Record<string, unknown>;
  /**
   * The secrets `options` refers to (`env:NAME`, `file:/path`, adapters/secret-ref.ts), resolved
   * when the hub starts, by option dot path (`auth.clientSecret`). Options hold only references.
   */
  secrets?: Readonly<Record<string, string>>;
}

/**
 * The part of axios an adapter uses. Structural on purpose: @nestjs/axios hands out axios's ESM
 * typings and a CommonJS file sees the CJS ones; TypeScript treats their AxiosInstance types as
 * unrelated, but both fit this.
 */
export interface PortalHttpClient {
  request(
    config: AxiosRequestConfig,
  ): Promise<{ status: number; data: unknown; headers?: unknown }>;
}

export interface AdapterDeps {
  /** Shared axios instance (from @nestjs/axios in the app, a plain one in tests). */
  http: PortalHttpClient;
}

export type AdapterFactory = (portal: PortalInstance, deps: AdapterDeps) => PortalAdapter;

/** Worth another try later: timeouts, 5xx, 429, connection errors. */
export class RetryableError extends Error {
  override readonly name = 'RetryableError';
  constructor(
    message: string,
    readonly details: {
      /** True when the request may have reached the portal (timeout after send): look up before re-submitting. */
      ambiguous: boolean;
      retryAfterMs?: number;
      httpStatus?: number;
    },
  ) {
    super(message);
  }
}

/** The portal refused the request for good (4xx validation): retrying cannot help. */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';
  constructor(
    message: string,
    readonly details: { portalMessage: string; httpStatus?: number },
  ) {
    super(message);
  }
}

/** A native status the adapter's table does not know: an error, never a guess. */
export class UnknownNativeStatusError extends Error {
  override readonly name = 'UnknownNativeStatusError';
  constructor(
    readonly portalKind: string,
    readonly nativeStatus: string,
  ) {
    super(`${portalKind}: unknown native status "${nativeStatus}"`);
  }
}
