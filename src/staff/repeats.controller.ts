import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StaffOnly } from '../auth/staff-auth.guard';
import { Audited } from '../auth/staff-request';
import { ApiProblems } from '../platform/errors/problem.openapi';
import { DAY_MS } from '../platform/time';
import { ClustersQuery, ComplainantsQuery } from './dto/repeats-queries.dto';
import { CLUSTERS_EXAMPLE, COMPLAINANTS_EXAMPLE } from './staff.examples';
import { RepeatsViewRepository } from './repeats-view.repository';

const since = (days: number | undefined) => new Date(Date.now() - (days ?? 30) * DAY_MS);

/**
 * Repeats and clusters for staff (docs/citizen.md#staff): who lodges many grievances (by the
 * keyed hash of the mobile: unmasking one of their grievances stays the audited admin action)
 * and which grievances of different citizens are the same problem.
 */
@ApiTags('staff')
@Controller('api/v1/staff')
@StaffOnly()
export class RepeatsController {
  constructor(private readonly repository: RepeatsViewRepository) {}

  @Get('clusters')
  @ApiOperation({ summary: 'Grievances of different citizens about the same problem' })
  @ApiOkResponse({ description: 'Largest first', example: CLUSTERS_EXAMPLE })
  @ApiProblems({ 400: 'Invalid query: errors[{ path, message }]' })
  @Audited('staff.clusters')
  async clusters(@Query() q: ClustersQuery) {
    const rows = await this.repository.clusters(since(q.days), q.district ?? null, q.limit ?? 50);
    return { items: rows };
  }

  @Get('complainants')
  @ApiOperation({
    summary: 'Complainants by number of grievances (keyed hash of the mobile, never the number)',
    description:
      'complainantKey finds their grievances in GET /api/v1/staff/complaints?q=<key>; who they ' +
      'are is shown only by unmasking one grievance (admin, audited).',
  })
  @ApiOkResponse({ description: 'Most grievances first', example: COMPLAINANTS_EXAMPLE })
  @ApiProblems({ 400: 'Invalid query: errors[{ path, message }]' })
  @Audited('staff.complainants')
  async complainants(@Query() q: ComplainantsQuery) {
    const rows = await this.repository.complainants(since(q.days), q.min ?? 5, q.limit ?? 50);
    return { items: rows };
  }
}
