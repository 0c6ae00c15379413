import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StaffOnly } from '../auth/staff-auth.guard';
import { Audited } from '../auth/staff-request';
import { ApiProblems } from '../platform/errors/problem.openapi';
import { CreatePartnerAppDto, PARTNER_APP_EXAMPLE } from './partner-apps.dto';
import { PartnerAppsService } from './partner-apps.service';

@ApiTags('staff')
@Controller('api/v1/staff/partner-apps')
@StaffOnly('admin')
export class PartnerAppsController {
  constructor(private readonly apps: PartnerAppsService) {}

  @Post()
  @ApiOperation({
    summary: 'Register a partner app and issue its key (admin)',
    description:
      'The key (gpk_…) is shown once; only its hash is kept. The app sends it as Open311 ' +
      '`api_key` or as the X-Api-Key header on the native intake API.',
  })
  @ApiCreatedResponse({
    description: 'The app, and its key (shown once)',
    example: { ...PARTNER_APP_EXAMPLE, key: 'gpk_Qm9yZ3Vl…' },
  })
  @ApiProblems({ 400: 'Invalid fields: errors[{ path, message }]' })
  @Audited('partner-app.create')
  async create(@Body() dto: CreatePartnerAppDto) {
    const { key, stored } = await this.apps.create(dto);
    return { ...stored, key };
  }

  @Get()
  @ApiOperation({ summary: 'Partner apps, with their limits and last use (admin)' })
  @ApiOkResponse({ description: 'Oldest first', example: [PARTNER_APP_EXAMPLE] })
  @Audited('partner-app.list')
  list() {
    return this.apps.list();
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: "Revoke a partner app's key, by id or key prefix (admin)" })
  @ApiOkResponse({ description: 'How many keys were revoked', example: { revoked: 1 } })
  @Audited('partner-app.revoke')
  async revoke(@Param('id') id: string) {
    return { revoked: await this.apps.revoke(id) };
  }
}
