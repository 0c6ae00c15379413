import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply as Response } from 'fastify';
import { join } from 'node:path';
import { StaticPage } from '../platform/http/static-page';
import { repoRoot } from '../platform/paths';

// Chart.js from node_modules: the dashboard works offline, without any CDN. Stricter than the
// hub's policy (http-security.ts): this page needs no inline style either.
const STATIC_DIR = join(repoRoot(), 'src', 'dashboard', 'static');
const PAGE = new StaticPage(
  STATIC_DIR,
  {
    'app.js': join(STATIC_DIR, 'app.js'),
    'style.css': join(STATIC_DIR, 'style.css'),
    'chart.umd.js': join(repoRoot(), 'node_modules', 'chart.js', 'dist', 'chart.umd.js'),
  },
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'",
);

/** The staff dashboard: plain HTML + Chart.js; it calls the staff API with the key typed in. */
@ApiExcludeController()
@SkipThrottle()
@Controller('dashboard')
export class DashboardController {
  @Get()
  page(@Res() res: Response): void {
    PAGE.page(res);
  }

  @Get(':asset')
  asset(@Param('asset') asset: string, @Res() res: Response): void {
    PAGE.asset(asset, res);
  }
}
