import type { INestApplicationContext } from '@nestjs/common';
import { cliContext } from '../../src/cli/cli-context';
import { COMMANDS } from '../../src/cli/hub-commands';
import { useMedium } from '../support/medium';

/**
 * `npm run hub -- …` as an operator runs it, on the context the CLI builds (cliContext), minus
 * the process: every command's services must be in that context (partner-app create once failed
 * with "Nest could not find PartnerAppsService element" from a fresh clone).
 */
describe('the operator commands (npm run hub)', () => {
  const medium = useMedium();
  let app: INestApplicationContext;
  beforeAll(async () => {
    app = await cliContext(medium.config);
  });
  afterAll(() => app?.close());

  const run = (line: string[], args: string[] = []) =>
    COMMANDS[line.join(' ')](args, (type) => app.get(type, { strict: false }));

  it('issues, lists and revokes a partner app key', async () => {
    const created = (await run(
      ['partner-app', 'create'],
      [
        '--name',
        'Swachh Lucknow app',
        '--rate',
        '600',
        '--consent',
        'Files once the citizen agrees.',
      ],
    )) as { key: string; prefix: string };
    expect(created.key).toMatch(/^gpk_/);
    expect(await run(['partner-app', 'list'])).toEqual([
      expect.objectContaining({ name: 'Swachh Lucknow app', prefix: created.prefix }),
    ]);
    expect(await run(['partner-app', 'revoke'], [created.prefix])).toEqual({ revoked: 1 });
  });

  it('refuses a partner app without a consent declaration, naming the field', async () => {
    await expect(run(['partner-app', 'create'], ['--name', 'x', '--rate', '10'])).rejects.toThrow(
      /consentDeclaration/,
    );
  });

  it('issues and lists a staff API key', async () => {
    const created = (await run(['api-key', 'create'], ['--role', 'staff', '--name', 'Desk 4'])) as {
      key: string;
    };
    expect(created.key).toMatch(/^ghk_/);
    expect(await run(['api-key', 'list'])).toEqual([expect.objectContaining({ name: 'Desk 4' })]);
  });

  it('runs the SLA and privacy jobs', async () => {
    await expect(run(['sla', 'rebuild-rollup'])).resolves.toEqual({ rebuilt: true });
    await expect(run(['sla', 'scan'])).resolves.toBeDefined();
    await expect(run(['pii', 'erase-expired'])).resolves.toEqual({ erased: 0 });
  });
});
