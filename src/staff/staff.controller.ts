import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuditService } from '../auth/audit.service';
import { Audited, StaffOnly, requestIdOf, type StaffRequest } from '../auth/staff-auth.guard';
import { AuditQuery, StaffSearchQuery, UnmaskDto } from './dto/staff-queries.dto';
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
  @Audited('staff.search')
  search(@Query() q: StaffSearchQuery) {
    const { cursor, limit, ...filter } = q;
    return this.staff.search(filter, cursor, limit ?? 50);
  }

  @Get('complaints/:trackingId')
  @Audited('staff.view-complaint')
  detail(@Param('trackingId') trackingId: string) {
    return this.staff.detail(trackingId);
  }

  @Post('complaints/:trackingId/unmask')
  @HttpCode(200)
  @StaffOnly('admin')
  @Audited('pii.unmask')
  async unmask(
    @Param('trackingId') trackingId: string,
    @Body() dto: UnmaskDto,
    @Req() req: StaffRequest,
  ) {
    const result = await this.staff.unmask(trackingId);
    // The reason goes into the audit trail next to the interceptor's entry.
    await this.audit.record(req.staff ?? null, {
      action: 'pii.unmask.reason',
      target: trackingId,
      outcome: 'ok',
      detail: { reason: dto.reason },
      requestId: requestIdOf(req),
    });
    return result;
  }

  @Post('dispatches/:id/retry')
  @HttpCode(202)
  @StaffOnly('admin')
  @Audited('dispatch.retry')
  retry(@Param('id') id: string, @Req() req: StaffRequest) {
    return this.staff.retryDispatch(id, req.staff?.name ?? 'unknown');
  }

  @Get('portals')
  @Audited('staff.portals')
  portals() {
    return this.staff.portals();
  }

  @Get('audit')
  @StaffOnly('admin')
  @Audited('audit.read')
  async auditLog(@Query() q: AuditQuery) {
    return { items: await this.audit.recent(q.limit ?? 100) };
  }
}
