import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { InjectConfig } from '../platform/config/config.module';
import type { HubConfig } from '../platform/config/hub-config';

/** What intake accepts: category, ministry, state and district codes. */
@ApiTags('citizen')
@Controller('api/v1')
export class ReferenceDataController {
  constructor(@InjectConfig() private readonly config: HubConfig) {}

  @Get('categories')
  @Header('Cache-Control', 'public, max-age=3600')
  @ApiOkResponse({
    description:
      '{ categories: [{ code, label: { en, hi }, level, ministry }], ministries: [{ code, name }] }',
  })
  categories() {
    return { categories: this.config.categories, ministries: this.config.ministries };
  }

  @Get('jurisdictions')
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
