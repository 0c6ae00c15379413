import { Injectable } from '@nestjs/common';
import { InjectConfig } from '../platform/config/config.module';
import { GOVERNANCE_INDICATORS } from '../platform/config/governance-index.schema';
import type { HubConfig } from '../platform/config/hub-config';
import { ValidationFailedError } from '../platform/errors/domain-error';
import {
  scoreDistricts,
  trend,
  type DistrictIndicators,
  type DistrictScore,
  type DistrictTrend,
} from './district-index';
import { GovernanceIndexRepository, indicators, ZERO_COUNTS } from './governance-index.repository';
import { previousMonth } from './sla-calendar';
import { staleSince } from './rollup-freshness';
import { istDate } from './sla-calendar';
import { groupLabel, type Label } from './sla-labels';

export interface DistrictIndexRow extends DistrictScore {
  label: Label;
  trend: DistrictTrend;
}

export interface DistrictIndex {
  state: { code: string; name: string };
  /** YYYY-MM: grievances received in this IST month. */
  month: string;
  previousMonth: string;
  /**
   * When the SLA rollup the counts per grievance come from was last refreshed (null: never);
   * open-past-due, appeal decisions, transfers and repeats are live.
   */
  asOf: string | null;
  /** asOf, once the rollup has missed its refreshes (rollup-freshness.ts); else null. */
  staleSince: string | null;
  minGrievances: number;
  indicators: { id: string; better: 'higher' | 'lower'; weight: number; measured: boolean }[];
  districts: DistrictIndexRow[];
}

/** Indicators listed but not measured (none since repeats are detected, issue 15). */
const NOT_MEASURED = new Set<string>([]);

/** The District Governance Index, grievance-redressal part (docs/governance-index.md). */
@Injectable()
export class GovernanceIndexService {
  constructor(
    @InjectConfig() private readonly config: HubConfig,
    private readonly repository: GovernanceIndexRepository,
  ) {}

  async index(stateCode: string, month?: string): Promise<DistrictIndex> {
    const state = this.config.jurisdictions.states.find((s) => s.code === stateCode);
    if (!state)
      throw new ValidationFailedError([{ path: 'state', message: `Unknown state "${stateCode}"` }]);
    const current = `${month ?? istDate(new Date()).slice(0, 7)}-01`;
    const previous = previousMonth(current);
    const [counts, refreshedAt] = await Promise.all([
      this.repository.districtMonths(stateCode, previous, current),
      this.repository.refreshedAt(),
    ]);
    // Every district of the state is listed, those without grievances too (unranked).
    const districts = this.config.jurisdictions.districts.filter((d) => d.stateCode === stateCode);
    const ofMonth = (m: string): DistrictIndicators[] =>
      districts.map((d) => {
        const c = counts.find((x) => x.month === m && x.key === d.code);
        return c ? indicators(c) : indicators({ ...ZERO_COUNTS, key: d.code, month: m });
      });
    const before = scoreDistricts(ofMonth(previous), this.config.governanceIndex);
    const now = scoreDistricts(ofMonth(current), this.config.governanceIndex);
    const weights = this.config.governanceIndex.weights;
    return {
      state: { code: state.code, name: state.name },
      month: current.slice(0, 7),
      previousMonth: previous.slice(0, 7),
      asOf: refreshedAt?.toISOString() ?? null,
      staleSince: staleSince(refreshedAt, new Date()),
      minGrievances: this.config.governanceIndex.minGrievances,
      indicators: GOVERNANCE_INDICATORS.map(({ id, better }) => ({
        id,
        better,
        weight: weights[id],
        measured: !NOT_MEASURED.has(id),
      })),
      districts: now.map((d) => ({
        ...d,
        label: groupLabel(this.config, 'district', d.key),
        trend: trend(d, before),
      })),
    };
  }
}
