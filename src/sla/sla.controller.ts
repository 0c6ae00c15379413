import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../platform/errors/problem.openapi';
import { Audited, StaffOnly } from '../auth/staff-auth.guard';
import { decodeCursor, encodeCursor } from '../platform/database/keyset';
import { BreachesQuery, DistrictIndexQuery, SummaryQuery, TrendQuery } from './dto/sla-queries.dto';
import { SlaBreachesRepository } from './sla-breaches.repository';
import { summaryCsv } from './sla-report.csv';
import { SlaViewsService } from './sla-views.service';
import { DAY_MS } from '../platform/time';

@ApiTags('staff')
@ApiProblems({ 400: 'Invalid query: errors[{ path, message }]' })
@Controller('api/v1/sla')
@StaffOnly()
export class SlaController {
  constructor(
    private readonly views: SlaViewsService,
    private readonly breachesRepository: SlaBreachesRepository,
  ) {}

  @Get('summary')
  @ApiOperation({ summary: 'SLA figures per portal, state, district or category' })
  @Audited('sla.summary')
  @ApiOkResponse({ description: 'Per group: total, open, resolved, breached, withinSlaPct, …' })
  summary(@Query() q: SummaryQuery) {
    return this.views.summary(q.groupBy ?? 'portal', this.views.range(q));
  }

  @Get('report.csv')
  @ApiOperation({ summary: 'The SLA summary as a CSV download' })
  @ApiOkResponse({ description: 'One row per group, with a header row' })
  @Audited('sla.report-csv')
  @ApiProduces('text/csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="sla-report.csv"')
  async report(@Query() q: SummaryQuery): Promise<string> {
    return summaryCsv(await this.views.summary(q.groupBy ?? 'portal', this.views.range(q)));
  }

  @Get('district-index')
  @ApiOperation({ summary: 'Districts ranked by their SLA score' })
  @ApiOkResponse({ description: 'One entry per district, best first' })
  @Audited('sla.district-index')
  districtIndex(@Query() q: DistrictIndexQuery) {
    return this.views.districtIndex(this.views.range(q), q.state);
  }

  @Get('trend')
  @ApiOperation({ summary: 'Weekly received, resolved and breached counts (26 weeks by default)' })
  @ApiOkResponse({ description: 'One entry per IST week' })
  @Audited('sla.trend')
  trend(@Query() q: TrendQuery) {
    const to = q.to ?? this.views.range({}).to;
    const from = q.from ?? new Date(Date.parse(to) - 26 * 7 * DAY_MS).toISOString().slice(0, 10);
    return this.views.trend(this.views.range({ from, to }));
  }

  @Get('breaches')
  @ApiOperation({ summary: 'Open grievances past their deadline, most overdue first' })
  @ApiOkResponse({ description: '{ items: [...], nextCursor }' })
  @Audited('sla.breaches')
  async breaches(@Query() q: BreachesQuery) {
    const limit = q.limit ?? 50;
    const rows = await this.breachesRepository.page(q, decodeCursor(q.cursor), limit);
    const now = Date.now();
    const last = rows[rows.length - 1];
    return {
      items: rows.map(({ id: _id, ...r }) => ({
        ...r,
        daysOverdue: Math.floor((now - r.slaDueAt.getTime()) / DAY_MS),
      })),
      nextCursor:
        rows.length === limit && last ? encodeCursor({ at: last.slaDueAt, id: last.id }) : null,
    };
  }
}
