import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../platform/errors/problem.openapi';
import { StaffOnly } from '../auth/staff-auth.guard';
import { Audited } from '../auth/staff-request';
import { decodeCursor, encodeCursor } from '../platform/database/keyset';
import {
  BreachesQuery,
  DistrictIndexQuery,
  filterOf,
  InsightsQuery,
  SummaryQuery,
  TrendQuery,
} from './dto/sla-queries.dto';
import { SlaBreachesRepository } from './sla-breaches.repository';
import { GovernanceIndexService } from './governance-index.service';
import { breachesCsv, districtIndexCsv, summaryCsv } from './sla-report.csv';
import { SlaViewsService } from './sla-views.service';
import {
  BREACHES_EXAMPLE,
  DISTRICT_INDEX_EXAMPLE,
  INSIGHTS_EXAMPLE,
  SUMMARY_EXAMPLE,
  TREND_EXAMPLE,
} from './sla.examples';
import { DAY_MS } from '../platform/time';
import { istDays } from './sla-calendar';

@ApiTags('staff')
@ApiProblems({ 400: 'Invalid query: errors[{ path, message }]' })
@Controller('api/v1/sla')
@StaffOnly()
export class SlaController {
  constructor(
    private readonly views: SlaViewsService,
    private readonly breachesRepository: SlaBreachesRepository,
    private readonly governanceIndex: GovernanceIndexService,
  ) {}

  @Get('summary')
  @ApiOperation({ summary: 'SLA figures per portal, state, district or category' })
  @Audited('sla.summary')
  @ApiOkResponse({ description: 'Overall and per group', example: SUMMARY_EXAMPLE })
  summary(@Query() q: SummaryQuery) {
    return this.views.summary(q.groupBy ?? 'portal', this.views.range(q), filterOf(q));
  }

  @Get('report.csv')
  @ApiOperation({ summary: 'The SLA summary as a CSV download' })
  @ApiOkResponse({
    description: 'One row per group, with a header row',
    schema: { type: 'string' },
  })
  @Audited('sla.report-csv')
  @ApiProduces('text/csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="sla-report.csv"')
  async report(@Query() q: SummaryQuery): Promise<string> {
    return summaryCsv(
      await this.views.summary(q.groupBy ?? 'portal', this.views.range(q), filterOf(q)),
    );
  }

  @Get('district-index')
  @ApiOperation({
    summary: 'District Governance Index (grievance redressal) of a state for a month',
    description:
      'Indicators per district, min–max normalised across the districts of the state, weighted (config/sla.yaml governanceIndex), ranked, with the change against the previous month. Methodology: docs/governance-index.md.',
  })
  @ApiOkResponse({ description: 'Best first', example: DISTRICT_INDEX_EXAMPLE })
  @Audited('sla.district-index')
  districtIndex(@Query() q: DistrictIndexQuery) {
    return this.governanceIndex.index(q.state, q.month);
  }

  @Get('district-index.csv')
  @ApiOperation({ summary: 'The District Governance Index as a CSV download' })
  @ApiOkResponse({
    description: 'One row per district in rank order, with a header row',
    schema: { type: 'string' },
  })
  @Audited('sla.district-index-csv')
  @ApiProduces('text/csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="district-index.csv"')
  async districtIndexCsv(@Query() q: DistrictIndexQuery): Promise<string> {
    return districtIndexCsv(await this.governanceIndex.index(q.state, q.month));
  }

  @Get('trend')
  @ApiOperation({
    summary: 'Weekly lodged and resolved counts, within and past the deadline (26 weeks default)',
  })
  @ApiOkResponse({ description: 'One entry per week', example: TREND_EXAMPLE })
  @Audited('sla.trend')
  trend(@Query() q: TrendQuery) {
    const to = q.to ?? this.views.range({}).to;
    const from = q.from ?? new Date(Date.parse(to) - 26 * 7 * DAY_MS).toISOString().slice(0, 10);
    return this.views.trend(this.views.range({ from, to }));
  }

  @Get('insights')
  @ApiOperation({
    summary:
      'Month on month, rating distribution, appeals pending and decided, transfers by portal (filters as the summary)',
  })
  @ApiOkResponse({ description: 'Read live for the range and filters', example: INSIGHTS_EXAMPLE })
  @Audited('sla.insights')
  insights(@Query() q: InsightsQuery) {
    return this.views.insights(this.views.range(q), filterOf(q));
  }

  @Get('breaches')
  @ApiOperation({
    summary:
      'Open grievances past their deadline: filtered, sorted (most overdue first by default), paged',
  })
  @ApiOkResponse({ description: 'One page in the order asked for', example: BREACHES_EXAMPLE })
  @Audited('sla.breaches')
  breaches(@Query() q: BreachesQuery) {
    return this.breachesPage(q);
  }

  @Get('breaches.csv')
  @ApiOperation({
    summary:
      'The same page of breaches as CSV (same filters, sort, cursor and limit: exactly what is shown)',
  })
  @ApiOkResponse({
    description: 'One row per grievance, with a header row',
    schema: { type: 'string' },
  })
  @Audited('sla.breaches-csv')
  @ApiProduces('text/csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="sla-breaches.csv"')
  async breachesCsv(@Query() q: BreachesQuery): Promise<string> {
    return breachesCsv((await this.breachesPage(q)).items);
  }

  private async breachesPage(q: BreachesQuery) {
    const limit = q.limit ?? 50;
    const sort = q.sort ?? 'due';
    const received = q.from || q.to ? istDays(this.views.range(q)) : null;
    const rows = await this.breachesRepository.page(
      {
        ...filterOf(q),
        ...(received ? { receivedFrom: received[0], receivedBefore: received[1] } : {}),
      },
      sort,
      decodeCursor(q.cursor),
      limit,
    );
    const now = Date.now();
    const last = rows[rows.length - 1];
    const at = (r: (typeof rows)[number]) => (sort.endsWith('received') ? r.createdAt : r.slaDueAt);
    return {
      items: rows.map(({ id: _id, ...r }) => ({
        ...r,
        daysOverdue: Math.floor((now - r.slaDueAt.getTime()) / DAY_MS),
      })),
      nextCursor:
        rows.length === limit && last ? encodeCursor({ at: at(last), id: last.id }) : null,
    };
  }
}
