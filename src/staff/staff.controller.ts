import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../platform/errors/problem.openapi';
import { AuditService } from '../auth/audit.service';
import { AdminOnly, StaffOnly } from '../auth/staff-auth.guard';
import { Audited, type StaffRequest } from '../auth/staff-request';
import { AuditQuery, StaffSearchQuery, UnmaskDto } from './dto/staff-queries.dto';
import {
  AUDIT_EXAMPLE,
  PORTALS_EXAMPLE,
  RETRY_EXAMPLE,
  STAFF_DETAIL_EXAMPLE,
  STAFF_SEARCH_EXAMPLE,
  UNMASK_EXAMPLE,
} from './staff.examples';
import { StaffService } from './staff.service';

@ApiTags('staff')
@Controller('api/v1/staff')
@StaffOnly()
export class StaffController {
  constructor(
    private readonly staff: StaffService,
    private readonly audit: AuditService,
  ) {}

  @Get('complaints')
  @ApiOperation({ summary: 'Search grievances (personal data masked)' })
  @ApiOkResponse({ description: 'Newest first', example: STAFF_SEARCH_EXAMPLE })
  @ApiProblems({ 400: 'Invalid query: errors[{ path, message }]' })
  @Audited('staff.search')
  search(@Query() q: StaffSearchQuery) {
    const { cursor, limit, ...filter } = q;
    return this.staff.search(filter, cursor, limit ?? 50);
  }

  @Get('complaints/:trackingId')
  @ApiOperation({ summary: 'One grievance with dispatches and timeline (masked)' })
  @ApiOkResponse({
    description: 'The grievance, personal data masked',
    example: STAFF_DETAIL_EXAMPLE,
  })
  @ApiProblems({ 404: 'Unknown tracking id' })
  @Audited('staff.view-complaint')
  detail(@Param('trackingId') trackingId: string) {
    return this.staff.detail(trackingId);
  }

  @Post('complaints/:trackingId/unmask')
  @ApiOperation({
    summary: "Show the complainant's personal data (admin, audited with the reason)",
  })
  @ApiOkResponse({
    description: 'Name, mobile, e-mail and address in clear',
    example: UNMASK_EXAMPLE,
  })
  @ApiProblems({ 400: 'Invalid fields: errors[{ path, message }]', 404: 'Unknown tracking id' })
  @HttpCode(200)
  @AdminOnly()
  @Audited('pii.unmask')
  unmask(
    @Param('trackingId') trackingId: string,
    @Body() dto: UnmaskDto,
    @Req() req: StaffRequest,
  ) {
    // Into the interceptor's one entry, whether the unmask succeeds or not.
    req.auditDetail = { reason: dto.reason };
    return this.staff.unmask(trackingId);
  }

  @Post('dispatches/:id/retry')
  @ApiOperation({ summary: 'Retry a failed delivery to a portal (admin)' })
  @ApiAcceptedResponse({ description: 'Queued again', example: RETRY_EXAMPLE })
  @ApiProblems({ 404: 'Unknown dispatch', 409: 'The dispatch has not failed' })
  @HttpCode(202)
  @AdminOnly()
  @Audited('dispatch.retry')
  retry(@Param('id') id: string, @Req() req: StaffRequest) {
    return this.staff.retryDispatch(id, req.staff?.name ?? 'unknown');
  }

  @Get('portals')
  @ApiOperation({ summary: 'Portals with their health and delivery figures' })
  @ApiOkResponse({ description: 'One entry per portal', example: PORTALS_EXAMPLE })
  @Audited('staff.portals')
  portals() {
    return this.staff.portals();
  }

  @Get('audit')
  @ApiOperation({ summary: 'The latest audit log entries (admin)' })
  @ApiOkResponse({ description: 'Newest first', example: AUDIT_EXAMPLE })
  @ApiProblems({ 400: 'Invalid query: errors[{ path, message }]' })
  @AdminOnly()
  @Audited('audit.read')
  async auditLog(@Query() q: AuditQuery) {
    return { items: await this.audit.recent(q.limit ?? 100) };
  }
}
