import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_CONFIG_DIR } from '../../../test/support/config-dir';
import { ConfigError, loadHubConfig } from './load-config';
import { publishedPiiKeys, publishedSecrets } from './published-secrets';

const fixtureDir = TEST_CONFIG_DIR;
const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');

describe('publishedSecrets', () => {
  let work: string;
  let copy: string;
  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'hub-published-'));
    copy = join(work, 'config');
    cpSync(fixtureDir, copy, { recursive: true, dereference: true });
    const portals = join(copy, 'portals.yaml');
    writeFileSync(
      portals,
      readFileSync(portals, 'utf8').replace('dev-up-igrs-key', 'copied-up-igrs-key'),
    );
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it("holds every devDefault of the repository's config and of the copy in use, and the dev keys", () => {
    const devKeys = join(work, 'dev-keys.json');
    writeFileSync(devKeys, JSON.stringify({ piiEncryptionKey: key(7), piiLookupKey: key(8) }));
    expect(publishedSecrets([fixtureDir, copy], devKeys)).toEqual(
      new Set([
        'dev-cpgrams-key',
        'dev-up-igrs-key',
        'dev-up-igrs-webhook-secret',
        'dev-mh-aaplesarkar-key',
        'dev-mh-aaplesarkar-webhook-secret',
        'copied-up-igrs-key',
        key(7),
        key(8),
      ]),
    );
    expect(publishedSecrets([join(work, 'absent')], join(work, 'absent.json')).size).toBe(0);
  });

  it('names a dev-keys file it cannot read instead of failing with a bare SyntaxError', () => {
    const devKeys = join(work, 'dev-keys.json');
    writeFileSync(devKeys, '{ "piiEncryptionKey": ');
    expect(() => publishedSecrets([copy], devKeys)).toThrow(`${devKeys} is not readable JSON`);
  });

  it('makes a production hub on a copied config refuse both the copy’s and the repository’s values', () => {
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://hub@db/hub',
      PII_ENCRYPTION_KEY: key(1),
      PII_LOOKUP_KEY: key(2),
      CPGRAMS_API_KEY: 'c',
      UP_IGRS_API_KEY: 'copied-up-igrs-key',
      UP_IGRS_WEBHOOK_SECRET: 'uw',
      MH_AAPLESARKAR_API_KEY: 'dev-up-igrs-key',
      MH_AAPLESARKAR_WEBHOOK_SECRET: 'mw',
    };
    let error: unknown;
    try {
      loadHubConfig({ configDir: copy, env: production });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.path)).toEqual([
      'portals[1].credential.env',
      'portals[2].credential.env',
    ]);
  });
});

describe('publishedPiiKeys', () => {
  const env = (piiEncryptionKey: string, piiLookupKey: string) =>
    ({ piiEncryptionKey, piiLookupKey }) as Parameters<typeof publishedPiiKeys>[0];

  it.each([
    ['neither key', env(key(1), key(2)), []],
    ['the encryption key', env(key(7), key(2)), ['PII_ENCRYPTION_KEY']],
    ['both keys', env(key(7), key(8)), ['PII_ENCRYPTION_KEY', 'PII_LOOKUP_KEY']],
  ])('names %s when published', (_name, e, paths) => {
    const issues = publishedPiiKeys(e, new Set([key(7), key(8)]));
    expect(issues.map((i) => i.path)).toEqual(paths);
    expect(issues.every((i) => i.file === 'environment' && /own/.test(i.message))).toBe(true);
  });
});

describe('a previous webhook secret in production', () => {
  const production = {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://hub@db/hub',
    PII_ENCRYPTION_KEY: key(1),
    PII_LOOKUP_KEY: key(2),
    CPGRAMS_API_KEY: 'c',
    UP_IGRS_API_KEY: 'u',
    UP_IGRS_WEBHOOK_SECRET: 'uw-new',
    MH_AAPLESARKAR_API_KEY: 'm',
    MH_AAPLESARKAR_WEBHOOK_SECRET: 'mw',
  };

  it('is refused when it is a value published in the repository: anyone could sign with it', () => {
    let error: unknown;
    try {
      loadHubConfig({
        configDir: TEST_CONFIG_DIR,
        env: { ...production, UP_IGRS_WEBHOOK_SECRET_PREVIOUS: 'dev-up-igrs-webhook-secret' },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.path)).toEqual([
      'portals[1].webhookSecret.previousEnv',
    ]);
  });

  it('is accepted when it is a secret of its own', () => {
    const config = loadHubConfig({
      configDir: TEST_CONFIG_DIR,
      env: { ...production, UP_IGRS_WEBHOOK_SECRET_PREVIOUS: 'uw-old' },
    });
    expect(config.portals[1].previousWebhookSecret).toBe('uw-old');
  });
});
