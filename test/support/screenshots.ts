import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * Where a screenshot for the docs goes: `docs/<name>` when UPDATE_DOCS_SCREENSHOTS=1 (the run that
 * refreshes them), else test/artifacts/ (ignored by git), so that `npm test` leaves the checkout
 * as it found it — the pictures show a clock and would change on every run.
 */
export function docsScreenshotPath(name: string): string {
  if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') return join(ROOT, 'docs', name);
  const dir = join(ROOT, 'test', 'artifacts', 'docs');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
