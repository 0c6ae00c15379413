import type { Response } from 'express';
import { join } from 'node:path';
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

  page(res: Response): void {
    res.setHeader('Content-Security-Policy', this.csp);
    res.sendFile(join(this.dir, 'index.html'));
  }

  asset(name: string, res: Response): void {
    const file = this.assets.get(name);
    if (!file) throw new NotFoundError('Asset');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.sendFile(file);
  }
}
