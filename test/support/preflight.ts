import { accessSync, constants } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { CHROMIUM_PATH as CHROMIUM } from './chromium';
import { pgBinDir, pgbouncerBin } from './pg-servers';

const onPath = (program: string): boolean =>
  spawnSync(program, ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * The programs the suite starts servers or browsers from, checked once before any test runs, so
 * a machine without them fails at once with the whole list instead of file by file minutes in.
 * .ci/run installs them; the README says how.
 */
export function missingPrograms(): string[] {
  const missing: string[] = [];
  for (const find of [pgBinDir, pgbouncerBin]) {
    try {
      find();
    } catch (error) {
      missing.push((error as Error).message);
    }
  }
  for (const program of ['redis-server', 'redis-cli'])
    if (!onPath(program)) missing.push(`${program} is not on PATH: apt-get install redis-server`);
  // The Redis TLS test makes its CA and certificate with openssl (`openssl version`).
  if (spawnSync('openssl', ['version'], { stdio: 'ignore' }).status !== 0)
    missing.push('openssl is not on PATH: apt-get install openssl');
  try {
    accessSync(CHROMIUM, constants.X_OK);
  } catch {
    missing.push(
      `Chromium not found at ${CHROMIUM}: apt-get install chromium fonts-noto-core, or set CHROMIUM_PATH`,
    );
  }
  return missing;
}
