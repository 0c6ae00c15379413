import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { TEST_CONFIG_DIR } from '../../../test/support/config-dir';
import { ConfigError, loadHubConfig } from './load-config';

// Secrets in a portal's options are references (env:NAME, file:/path, { env, devDefault }),
// resolved at start with the same checks as a portal's credential.
const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');
const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://hub@db/hub',
  PII_ENCRYPTION_KEY: key(1),
  PII_LOOKUP_KEY: key(2),
  CPGRAMS_API_KEY: 'c',
  UP_IGRS_API_KEY: 'u',
  UP_IGRS_WEBHOOK_SECRET: 'uw',
  MH_AAPLESARKAR_API_KEY: 'm',
  MH_AAPLESARKAR_WEBHOOK_SECRET: 'mw',
};

describe('secret references in portal options', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hub-option-secrets-'));
    cpSync(TEST_CONFIG_DIR, dir, { recursive: true, dereference: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Gives MH-AAPLESARKAR (portals[2]) these options on top of its own. */
  const withOptions = (extra: Record<string, unknown>) => {
    const file = join(dir, 'portals.yaml');
    const doc = parse(readFileSync(file, 'utf8'));
    Object.assign(doc.portals[2].options, extra);
    writeFileSync(file, stringify(doc));
  };
  const load = (env: Record<string, string>) => loadHubConfig({ configDir: dir, env });
  const issues = (env: Record<string, string>) => {
    try {
      load(env);
    } catch (error) {
      if (error instanceof ConfigError) return error.issues;
      throw error;
    }
    throw new Error('expected a ConfigError');
  };

  it('resolves env:, file: and { env, devDefault } references; the options keep the references', () => {
    writeFileSync(join(dir, 'client.pem'), 'PEM CERT\n');
    withOptions({
      auth: { type: 'hmac', secret: { env: 'MH_HMAC', devDefault: 'dev-mh-hmac' } },
      tls: { cert: `file:${join(dir, 'client.pem')}`, key: 'env:MH_TLS_KEY' },
    });
    const mh = load({ NODE_ENV: 'development', MH_TLS_KEY: 'PEM KEY' }).portals[2];
    expect(mh.secrets).toEqual({
      'auth.secret': 'dev-mh-hmac',
      'tls.cert': 'PEM CERT',
      'tls.key': 'PEM KEY',
    });
    expect(mh.options.auth).toEqual({
      type: 'hmac',
      secret: { env: 'MH_HMAC', devDefault: 'dev-mh-hmac' },
    });
  });

  it('production: a missing variable, an unreadable file and a published value each named', () => {
    withOptions({
      auth: { type: 'hmac', secret: { env: 'MH_HMAC', devDefault: 'dev-mh-hmac' } },
      tls: { cert: `file:${join(dir, 'absent.pem')}`, key: 'env:MH_TLS_KEY' },
    });
    const found = issues({ ...production, MH_TLS_KEY: 'dev-mh-hmac' });
    expect(found).toEqual([
      {
        file: expect.any(String),
        path: 'portals[2].options.auth.secret',
        message: expect.stringContaining('MH_HMAC is required in production'),
      },
      {
        file: expect.any(String),
        path: 'portals[2].options.tls.cert',
        message: expect.stringContaining('Cannot read the secret file'),
      },
      {
        file: expect.any(String),
        path: 'portals[2].options.tls.key',
        message: expect.stringContaining(
          'MH_TLS_KEY (MH-AAPLESARKAR options.tls.key) holds a value published',
        ),
      },
    ]);
  });

  it('a secret written into the yaml stops the hub, naming the option', () => {
    withOptions({ auth: { type: 'hmac', secret: 'plain-secret-in-yaml' } });
    expect(issues({ NODE_ENV: 'development' })).toContainEqual({
      file: expect.any(String),
      path: 'portals[2].options.auth.secret',
      message: expect.stringMatching(/secret reference .*never the secret itself/),
    });
  });
});
