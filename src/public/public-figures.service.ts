import { Injectable } from '@nestjs/common';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';
import { GovernanceIndexService } from '../sla/governance-index.service';
import type { SlaFigures } from '../sla/sla-figures';
import { SlaViewsService, type GroupFigures } from '../sla/sla-views.service';
import { type HiddenOverall, suppressLinked, suppressSharingOverall } from './suppress';

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
      const [byPortal, byState, cross, monthly] = await Promise.all([
        this.views.summary('portal', range),
        this.views.summary('state', range),
        this.views.portalByState(range),
        this.views.monthly(range),
      ]);
      // byPortal and byState count the same grievances: both add up the cells of portal × state,
      // so they are suppressed together (suppress.ts), and the months with the overall row.
      const cells = cross.map((c) => ({ disposed: c.resolved, pending: c.open }));
      const rows = (groups: GroupFigures[], of: (cell: GroupFigures) => string | undefined) =>
        groups.map((g) => ({
          key: { key: g.key, label: g.label },
          raw: raw(g),
          cells: cross.flatMap((c, i) => (of(c) === g.key ? [i] : [])),
        }));
      // Both groups add up to the overall row: what one hides of it, the other must not give back.
      const [places, months] = suppressSharingOverall([
        (hidden: HiddenOverall) =>
          suppressLinked(
            cells,
            {
              byPortal: rows(byPortal.groups, (c) => c.key),
              byState: rows(byState.groups, (c) => c.stateCode),
            },
            raw(byPortal.overall),
            min,
            hidden,
          ),
        (hidden: HiddenOverall) =>
          suppressLinked(
            monthly.map((m) => ({ disposed: m.figures.resolved, pending: m.figures.open })),
            {
              byMonth: monthly.map((m, i) => ({
                key: { month: m.month },
                raw: raw(m.figures),
                cells: [i],
              })),
            },
            raw(byPortal.overall),
            min,
            hidden,
          ),
      ]);
      return {
        ...range,
        asOf: byPortal.asOf,
        minCount: min,
        // Both passes ran with the same hidden parts of the same overall row: one answer.
        overall: places.overall,
        byPortal: places.tables.byPortal,
        byState: places.tables.byState,
        byMonth: months.tables.byMonth,
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
