import { Injectable, Logger } from '@nestjs/common';
import { normalizeIp } from '@nestjs/throttler';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig, PortalConfig } from '../platform/config/hub-config';
import { DomainError } from '../platform/errors/domain-error';
import { RateLimitStorage } from '../platform/http/rate-limit.storage';
import { HubMetrics } from '../platform/metrics/metrics.service';
import type { PortalAdapter } from '../../adapters/adapter';
import { verifyHubPush } from '../../adapters/push-signature';

const WINDOW_MS = 60_000;

export interface PushCredentials {
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as received, not yet parsed. */
  rawBody: Buffer;
  /** The client's address as the HTTP layer resolved it. */
  sourceAddress: string;
}

/**
 * Decides whether a push comes from its portal before anything parses its body: the signature
 * over the raw bytes with the portal's current or previous secret (rotation without downtime),
 * and a throttle on failures per source address, so sending unsigned bodies costs the sender
 * more than the hub. Counters live in this process (the push path never touches Redis).
 */
@Injectable()
export class PortalPushAuth {
  private readonly logger = new Logger(PortalPushAuth.name);
  private readonly failures = new RateLimitStorage();

  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly metrics: HubMetrics,
  ) {}

  /**
   * Returns when `portal` signed the request; throws 429 (throttled) or 401 otherwise. The
   * signature itself is the adapter's to check (`verifyPush`), the hub's HMAC scheme by default.
   */
  authenticate(
    portal: PortalConfig,
    req: PushCredentials,
    correlationId: string,
    verify: NonNullable<PortalAdapter['verifyPush']> = verifyHubPush,
  ): void {
    const portalCode = portal.code;
    // Per client as the general rate limit counts them: an IPv6 client by its /64 (it owns every
    // address in it, so per address it would never be throttled), an IPv4-mapped one as IPv4.
    const client = normalizeIp(req.sourceAddress);
    const blockedFor = this.failures.blockedFor(client);
    if (blockedFor > 0) {
      this.metrics.portalPushesRefused.inc({ portal: portalCode, reason: 'throttled' });
      throw tooManyFailures(blockedFor);
    }
    const secrets = [portal.webhookSecret, portal.previousWebhookSecret].filter((s) => s !== null);
    const verdict = verify(req.rawBody, req.headers, secrets);
    if (verdict.ok) {
      if (verdict.secretIndex > 0)
        this.metrics.portalPushPreviousSecret.inc({ portal: portalCode });
      return;
    }
    this.metrics.portalPushesRefused.inc({ portal: portalCode, reason: verdict.reason });
    // The reason and the address, never the body.
    this.logger.warn(
      { portal: portalCode, reason: verdict.reason, source: req.sourceAddress, correlationId },
      'Push refused',
    );
    const limit = this.config.env.portalAuthFailuresPerMinute;
    const counted = this.failures.hit(client, WINDOW_MS, limit, WINDOW_MS);
    if (counted.isBlocked) throw tooManyFailures(counted.timeToBlockExpire);
    throw new DomainError('invalid-signature', 401, 'Unauthorized', verdict.detail);
  }
}

function tooManyFailures(retryAfterSeconds: number): DomainError {
  return new DomainError(
    'too-many-signature-failures',
    429,
    'Too Many Requests',
    `Too many pushes with a bad signature from this address; retry in ${retryAfterSeconds} s.`,
    { headers: { 'Retry-After': String(retryAfterSeconds) } },
  );
}
