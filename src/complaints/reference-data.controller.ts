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
    description: 'Category codes with labels, and the central ministries',
    example: {
      categories: [
        {
          code: 'MUNICIPAL_SERVICES',
          label: { en: 'Municipal services', hi: 'नगरीय सेवाएँ' },
          level: 'state',
          ministry: null,
          group: 'Civic amenities',
          keywords: ['streetlight', 'garbage', 'sanitation'],
        },
        {
          code: 'RAILWAYS',
          label: { en: 'Railways', hi: 'रेलवे' },
          level: 'central',
          ministry: 'MORLY',
          group: 'Central government services',
        },
      ],
      ministries: [{ code: 'MORLY', name: 'Ministry of Railways (Railway Board)' }],
    },
  })
  categories() {
    return { categories: this.config.categories, ministries: this.config.ministries };
  }

  @Get('jurisdictions')
  @ApiOperation({ summary: 'States and districts with their LGD codes', security: [] })
  @Header('Cache-Control', 'public, max-age=3600')
  @ApiOkResponse({
    description: 'States and union territories with their districts, by LGD code',
    example: {
      source: 'Local Government Directory (LGD), Ministry of Panchayati Raj',
      states: [
        {
          code: '09',
          name: 'Uttar Pradesh',
          type: 'State',
          districts: [{ code: '162', name: 'Lucknow' }],
        },
      ],
    },
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
