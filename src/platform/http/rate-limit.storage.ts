import type { ThrottlerStorage } from '@nestjs/throttler';

interface RateWindow {
  startedAt: number;
  hits: number;
  blockedUntil: number;
}

export interface RateRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

const SWEEP_EVERY_MS = 60_000;

/**
 * Fixed-window counters for the throttler guard: O(1) per request. The throttler's own in-memory
 * storage keeps one timestamp per hit and filters the whole list on every request, so one busy
 * client (a citizen-facing app behind one address, or the load generator) made every request
 * cost O(hits in the last minute) in CPU and garbage (docs/benchmarks.md).
 */
export class RateLimitStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, RateWindow>();
  private lastSweep = Date.now();

  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<RateRecord> {
    return Promise.resolve(this.hit(`${throttlerName}:${key}`, ttl, limit, blockDuration));
  }

  hit(id: string, ttl: number, limit: number, blockDuration: number, now = Date.now()): RateRecord {
    if (now - this.lastSweep >= SWEEP_EVERY_MS) this.sweep(now, ttl);
    let w = this.windows.get(id);
    if (!w) {
      w = { startedAt: now, hits: 0, blockedUntil: 0 };
      this.windows.set(id, w);
    }
    if (w.blockedUntil <= now) {
      if (now - w.startedAt >= ttl) {
        w.startedAt = now;
        w.hits = 0;
      }
      w.hits += 1;
      if (w.hits > limit) w.blockedUntil = now + (blockDuration > 0 ? blockDuration : ttl);
    }
    const isBlocked = w.blockedUntil > now;
    return {
      totalHits: w.hits,
      timeToExpire: Math.max(1, Math.ceil((w.startedAt + ttl - now) / 1000)),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.max(1, Math.ceil((w.blockedUntil - now) / 1000)) : 0,
    };
  }

  /** Seconds until `id`'s block lifts (0: not blocked), without counting a hit. */
  blockedFor(id: string, now = Date.now()): number {
    const blockedUntil = this.windows.get(id)?.blockedUntil ?? 0;
    return blockedUntil > now ? Math.max(1, Math.ceil((blockedUntil - now) / 1000)) : 0;
  }

  private sweep(now: number, ttl: number): void {
    this.lastSweep = now;
    for (const [id, w] of this.windows)
      if (w.blockedUntil <= now && now - w.startedAt >= ttl) this.windows.delete(id);
  }
}
