import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AuditService } from '../auth/audit.service';
import { AdminOnly, Audited, StaffOnly, type StaffRequest } from '../auth/staff-auth.guard';
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
  @HttpCode(202)
  @AdminOnly()
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
  @AdminOnly()
  @Audited('audit.read')
  async auditLog(@Query() q: AuditQuery) {
    return { items: await this.audit.recent(q.limit ?? 100) };
  }
}
