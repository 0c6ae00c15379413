import type { FastifyReply } from 'fastify';
import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { NotFoundError } from '../errors/domain-error';

/**
 * A page of plain HTML with its own assets, served from the source tree (tsc does not copy them
 * into dist/) under a strict Content-Security-Policy: the staff dashboard and the public page.
 * Only the listed assets are served, by name; a Map, not an object literal, so that
 * `assets['constructor']` is not Object's own function.
 */
export class StaticPage {
  private readonly assets: Map<string, string>;

  constructor(
    private readonly dir: string,
    assets: Record<string, string>,
    private readonly csp: string,
  ) {
    this.assets = new Map(Object.entries(assets));
  }

  page(res: FastifyReply): void {
    res.header('Content-Security-Policy', this.csp);
    sendFile(res, join(this.dir, 'index.html'));
  }

  asset(name: string, res: FastifyReply): void {
    const file = this.assets.get(name);
    if (!file) throw new NotFoundError('Asset');
    res.header('Cache-Control', 'public, max-age=300');
    sendFile(res, file);
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

// A few small files, read per request (the listed ones only; no path from the client).
function sendFile(res: FastifyReply, file: string): void {
  res.type(CONTENT_TYPES[extname(file)] ?? 'application/octet-stream').send(readFileSync(file));
}
