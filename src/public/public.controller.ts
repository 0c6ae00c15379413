import { Controller, Get, Header, Param, Query, Res } from '@nestjs/common';
import {
  ApiExcludeController,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { FastifyReply as Response } from 'fastify';
import { join } from 'node:path';
import { StaticPage } from '../platform/http/static-page';
import { ApiProblems } from '../platform/errors/problem.openapi';
import { repoRoot } from '../platform/paths';
import { DateRangeQuery } from '../sla/dto/sla-queries.dto';
import { PublicFiguresService } from './public-figures.service';
import { PUBLIC_FIGURES_EXAMPLE, PUBLIC_INDEX_EXAMPLE } from './public.examples';

export class PublicIndexQuery {
  @ApiPropertyOptional({ description: 'LGD state code (default "09", Uttar Pradesh)' })
  @IsOptional()
  @Matches(/^\d{2}$/, { message: 'state must be a two-digit LGD state code' })
  state?: string;

  @ApiPropertyOptional({ description: 'IST month received, YYYY-MM (default: this month)' })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be a month as YYYY-MM' })
  month?: string;
}

/** The public transparency figures: no key, aggregates only (docs/public-page.md). */
@ApiTags('public')
@ApiProblems({
  400: 'Invalid query: errors[{ path, message }]',
  429: 'Too many requests from this address (Retry-After)',
})
@Controller('api/v1/public')
export class PublicFiguresController {
  constructor(private readonly figures: PublicFiguresService) {}

  @Get('figures')
  @ApiOperation({
    summary:
      'Received, disposed, pending, average disposal time, within-deadline share: overall, by portal, state and month',
    security: [],
  })
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOkResponse({
    description: 'Cells under minCount are null (suppressed: true)',
    example: PUBLIC_FIGURES_EXAMPLE,
  })
  get(@Query() q: DateRangeQuery) {
    return this.figures.figures(q);
  }

  @Get('district-index')
  @ApiOperation({
    summary: 'District Governance Index of a state and month: ranks and scores',
    security: [],
  })
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOkResponse({
    description: 'Best first; districts under minCount suppressed',
    example: PUBLIC_INDEX_EXAMPLE,
  })
  districtIndex(@Query() q: PublicIndexQuery) {
    return this.figures.districtIndex(q.state ?? '09', q.month);
  }
}

const STATIC_DIR = join(repoRoot(), 'src', 'public', 'static');
const PAGE = new StaticPage(
  STATIC_DIR,
  {
    'public.js': join(STATIC_DIR, 'public.js'),
    'style.css': join(repoRoot(), 'src', 'dashboard', 'static', 'style.css'),
  },
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
);

/** The public page itself: plain HTML reading /api/v1/public. */
@ApiExcludeController()
@Controller('public')
export class PublicPageController {
  @Get()
  page(@Res() res: Response): void {
    PAGE.page(res);
  }

  @Get(':asset')
  asset(@Param('asset') asset: string, @Res() res: Response): void {
    PAGE.asset(asset, res);
  }
}
