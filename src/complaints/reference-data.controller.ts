import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../platform/errors/problem.openapi';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';

/** What intake accepts: category, ministry, state and district codes. */
@ApiTags('citizen')
@ApiProblems({ 429: 'Too many requests from this address (Retry-After)' })
@Controller('api/v1')
export class ReferenceDataController {
  constructor(@InjectConfig() private readonly config: HubConfig) {}

  @Get('categories')
  @ApiOperation({ summary: 'Categories and ministries intake accepts', security: [] })
  @Header('Cache-Control', 'public, max-age=3600')
  @ApiOkResponse({
    description:
      '{ categories: [{ code, label: { en, hi }, level, ministry }], ministries: [{ code, name }] }',
  })
  categories() {
    return { categories: this.config.categories, ministries: this.config.ministries };
  }

  @Get('jurisdictions')
  @ApiOperation({ summary: 'States and districts with their LGD codes', security: [] })
  @Header('Cache-Control', 'public, max-age=3600')
  @ApiOkResponse({
    description: '{ states: [{ code, name, type, districts: [{ code, name }] }] } with LGD codes',
  })
  jurisdictions() {
    const { states, districts } = this.config.jurisdictions;
    return {
      source: 'Local Government Directory (LGD), Ministry of Panchayati Raj',
      states: states.map((s) => ({
        ...s,
        districts: districts
          .filter((d) => d.stateCode === s.code)
          .map(({ code, name }) => ({ code, name })),
      })),
    };
  }
}
