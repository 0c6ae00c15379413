import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Response } from 'express';
import { join } from 'node:path';
import { NotFoundError } from '../platform/errors/domain-error';
import { repoRoot } from '../platform/paths';

// Static files are read from the source tree (tsc does not copy them into dist/), and Chart.js
// from node_modules: the dashboard works offline, without any CDN.
const STATIC_DIR = join(repoRoot(), 'src', 'dashboard', 'static');
// A Map, not an object literal: `ASSETS['constructor']` would be Object's own function.
const ASSETS = new Map<string, string>([
  ['app.js', join(STATIC_DIR, 'app.js')],
  ['style.css', join(STATIC_DIR, 'style.css')],
  ['chart.umd.js', join(repoRoot(), 'node_modules', 'chart.js', 'dist', 'chart.umd.js')],
]);
// Stricter than the hub's policy (http-security.ts): this page needs no inline style either.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'";

/** The staff dashboard: plain HTML + Chart.js; it calls the staff API with the key typed in. */
@ApiExcludeController()
@SkipThrottle()
@Controller('dashboard')
export class DashboardController {
  @Get()
  page(@Res() res: Response): void {
    res.setHeader('Content-Security-Policy', CSP);
    res.sendFile(join(STATIC_DIR, 'index.html'));
  }

  @Get(':asset')
  asset(@Param('asset') asset: string, @Res() res: Response): void {
    const file = ASSETS.get(asset);
    if (!file) throw new NotFoundError('Asset');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.sendFile(file);
  }
}
