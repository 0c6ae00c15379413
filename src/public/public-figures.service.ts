import { Injectable } from '@nestjs/common';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { GovernanceIndexService } from '../sla/governance-index.service';
import type { SlaFigures } from '../sla/sla-figures';
import type { Label } from '../sla/sla-labels';
import { SlaViewsService } from '../sla/sla-views.service';
import { suppressRow, suppressTable } from './suppress';

const CACHE_ENTRIES = 200;

const raw = (f: SlaFigures) => ({
  received: f.total,
  disposed: f.resolved,
  pending: f.open,
  meanDaysToDispose: f.meanDaysToResolve,
  withinDeadlinePct: f.withinSlaPct,
  decided: f.resolved + f.openPastDue,
});

/**
 * The public transparency figures (docs/public-page.md): aggregates only, from the SLA rollup
 * and the District Governance Index, small cells suppressed, each answer cached for
 * `publicFigures.cacheSeconds`.
 */
@Injectable()
export class PublicFiguresService {
  private readonly cache = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly views: SlaViewsService,
    private readonly index: GovernanceIndexService,
  ) {}

  figures(q: { from?: string; to?: string }) {
    const range = this.views.range(q);
    return this.cached(`figures:${range.from}:${range.to}`, async () => {
      const min = this.config.publicFigures.minCount;
      const [byPortal, byState, monthly] = await Promise.all([
        this.views.summary('portal', range),
        this.views.summary('state', range),
        this.views.monthly(range),
      ]);
      const rows = (groups: (SlaFigures & { key: string; label: Label })[]) =>
        suppressTable(
          groups.map((g) => ({ key: { key: g.key, label: g.label }, raw: raw(g) })),
          min,
        );
      return {
        ...range,
        asOf: byPortal.asOf,
        minCount: min,
        overall: suppressRow({}, raw(byPortal.overall), min),
        byPortal: rows(byPortal.groups),
        byState: rows(byState.groups),
        byMonth: suppressTable(
          monthly.map((m) => ({ key: { month: m.month }, raw: raw(m.figures) })),
          min,
        ),
      };
    });
  }

  /** The District Governance Index of a state and month: ranks and scores, no small counts. */
  districtIndex(state: string, month?: string) {
    return this.cached(`index:${state}:${month ?? ''}`, async () => {
      const min = this.config.publicFigures.minCount;
      const index = await this.index.index(state, month);
      return {
        state: index.state,
        month: index.month,
        previousMonth: index.previousMonth,
        minCount: min,
        districts: index.districts.map((d) => {
          const shown = d.received >= min;
          return {
            key: d.key,
            label: d.label,
            rank: shown ? d.rank : null,
            score: shown ? d.score : null,
            rankChange: shown ? d.trend.rankChange : null,
            received: shown ? d.received : null,
            suppressed: !shown,
          };
        }),
      };
    });
  }

  private cached<T>(key: string, read: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < this.config.publicFigures.cacheSeconds * 1000)
      return hit.value as Promise<T>;
    const value = read();
    // A failed read is not kept: the next request tries again.
    value.catch(() => this.cache.delete(key));
    this.cache.delete(key);
    this.cache.set(key, { at: now, value });
    if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    return value;
  }
}
