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
  /** Each listed file's bytes, read on its first request: no disk read per request after that. */
  private readonly bytes = new Map<string, Buffer>();

  constructor(
    private readonly dir: string,
    assets: Record<string, string>,
    private readonly csp: string,
  ) {
    this.assets = new Map(Object.entries(assets));
  }

  page(res: FastifyReply): void {
    res.header('Content-Security-Policy', this.csp);
    this.send(res, join(this.dir, 'index.html'));
  }

  asset(name: string, res: FastifyReply): void {
    const file = this.assets.get(name);
    if (!file) throw new NotFoundError('Asset');
    res.header('Cache-Control', 'public, max-age=300');
    this.send(res, file);
  }

  private send(res: FastifyReply, file: string): void {
    let body = this.bytes.get(file);
    if (!body) this.bytes.set(file, (body = readFileSync(file)));
    res.type(CONTENT_TYPES[extname(file)] ?? 'application/octet-stream').send(body);
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};
