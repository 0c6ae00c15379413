import { Injectable } from '@nestjs/common';

/** One dependency a feature reports on /health/ready (e.g. a portal): it can only degrade it. */
export interface ReadinessProbe {
  /** The key in the health answer, e.g. `portal:cpgrams`. */
  name: string;
  check(timeoutMs: number): Promise<{ ok: boolean; detail?: string }>;
}

/**
 * Where features register what /health/ready reports besides PostgreSQL, Redis and background
 * jobs. The health check knows no feature: the feature that owns a dependency registers it here
 * (platform never imports features; docs/architecture.md#modules).
 */
@Injectable()
export class ReadinessProbes {
  private readonly sources: (() => ReadinessProbe[])[] = [];

  /** A source is asked on every readiness check, so it may list probes that appear later. */
  register(source: () => ReadinessProbe[]): void {
    this.sources.push(source);
  }

  all(): ReadinessProbe[] {
    return this.sources.flatMap((source) => source());
  }
}
