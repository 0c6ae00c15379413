import { join } from 'node:path';
import { AAPLE_SARKAR_OPTIONS } from '../../../adapters/state-portal-rest/sandbox';
import { TEST_CONFIG_DIR } from '../../../test/support/config-dir';
import { repoRoot } from '../paths';
import { ConfigError, loadHubConfig } from './load-config';
import { DELIVERY_DEFAULTS } from './portals.schema';

const realDir = join(repoRoot(), 'config');
const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');
const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://hub@db/hub',
  PII_ENCRYPTION_KEY: key(1),
  PII_LOOKUP_KEY: key(2),
};

function errorFor(env: Record<string, string>): ConfigError {
  try {
    loadHubConfig({ configDir: TEST_CONFIG_DIR, env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const secrets = {
  CPGRAMS_API_KEY: 'c',
  UP_IGRS_API_KEY: 'u',
  UP_IGRS_WEBHOOK_SECRET: 'uw',
  MH_AAPLESARKAR_API_KEY: 'm',
  MH_AAPLESARKAR_WEBHOOK_SECRET: 'mw',
};

describe('the shipped config/', () => {
  it('loads, and carries the contract the Aaple Sarkar sandbox plays for MH-AAPLESARKAR', () => {
    const shipped = loadHubConfig({ configDir: realDir, env: { NODE_ENV: 'development' } });
    const mh = shipped.portals.find((p) => p.code === 'MH-AAPLESARKAR');
    expect(mh?.options).toEqual(AAPLE_SARKAR_OPTIONS);
  });
});

describe('loadHubConfig with the test configuration (test/config/)', () => {
  const config = loadHubConfig({ configDir: TEST_CONFIG_DIR, env: { NODE_ENV: 'development' } });

  it('loads every file', () => {
    expect(config.jurisdictions.states).toHaveLength(36);
    // LGD's "All Districts of India", March 2022: every state and UT lists its districts.
    expect(config.jurisdictions.districts).toHaveLength(763);
    expect(new Set(config.jurisdictions.districts.map((d) => d.stateCode)).size).toBe(36);
    expect(config.jurisdictions.pincodePrefixes['403']).toEqual(['30']);
    expect(config.jurisdictions.districts).toContainEqual({
      stateCode: '09',
      code: '162',
      name: 'Lucknow',
    });
    expect(config.portals.map((p) => p.code)).toEqual(['CPGRAMS', 'UP-IGRS', 'MH-AAPLESARKAR']);
    expect(config.categories.find((c) => c.code === 'RAILWAYS')).toMatchObject({
      level: 'central',
      ministry: 'MORLY',
    });
    expect(config.categories.find((c) => c.code === 'POLICE')).toMatchObject({
      level: 'state',
      ministry: null,
    });
    expect(config.routing).toMatchObject({
      centralPortal: 'CPGRAMS',
      mirrorStateGrievances: { enabled: false },
    });
  });

  it('applies defaults to the environment, delivery, poll and SLA terms', () => {
    expect(config.env).toEqual({
      nodeEnv: 'development',
      port: 3000,
      hubRole: 'all',
      databaseUrl: null,
      directDatabaseUrl: null,
      databaseReadUrl: null,
      databasePreparedStatements: true,
      redis: { kind: 'standalone', url: 'redis://127.0.0.1:6379' },
      redisPrefix: 'hub',
      shutdownTimeoutMs: 25_000,
      logLevel: 'info',
      logFormat: 'pretty',
      piiEncryptionKey: null,
      piiLookupKey: null,
      piiPreviousKeys: [],
      piiRetentionDays: 365,
      auditRetentionMonths: 24,
      inboundEventsRetentionMonths: 13,
      configDir: TEST_CONFIG_DIR,
      rateLimitPerMinute: 60,
      portalAuthFailuresPerMinute: 10,
      sandboxPortals: true,
      smtpUrl: null,
      mailFrom: 'Grievance hub <no-reply@grievance-hub.invalid>',
      autoCloseAfterMs: 15 * 86_400_000,
      sandboxOfficerStepMs: 15_000,
      trustedProxies: false,
      corsOrigins: [],
      open311PublicText: false,
      serve: { docs: true, queueBoard: true, metrics: true },
      repeats: {
        enabled: true,
        similarity: 0.35,
        clusterSimilarity: 0.35,
        clusterWindowMs: 30 * 86_400_000,
      },
    });
    const [cpgrams, upIgrs] = config.portals;
    expect(upIgrs.delivery).toEqual(DELIVERY_DEFAULTS);
    expect(cpgrams.delivery).toEqual({ ...DELIVERY_DEFAULTS, ratePerSecond: 20, timeoutMs: 8000 });
    expect(cpgrams.poll).toEqual({ everyMs: 30000 });
    expect(upIgrs.poll).toBeNull();
    expect(config.sla.policies.find((p) => p.portal === 'CPGRAMS')).toMatchObject({
      redressalDays: 21,
      warningAtPct: 75,
      appealWindowDays: 30,
      appealRedressalDays: 30,
      dayType: 'calendar',
      escalationLevels: [],
      category: null,
    });
  });

  it('resolves secrets from the environment, dev defaults outside production', () => {
    const dev = config.portals[1];
    expect(dev.credential).toEqual({ header: 'X-API-Key', value: 'dev-up-igrs-key' });
    expect(dev.webhookSecret).toBe('dev-up-igrs-webhook-secret');
    expect(config.portals[0].webhookSecret).toBeNull();

    const prod = loadHubConfig({ configDir: TEST_CONFIG_DIR, env: { ...production, ...secrets } });
    expect(prod.portals.map((p) => [p.credential?.value, p.webhookSecret])).toEqual([
      ['c', null],
      ['u', 'uw'],
      ['m', 'mw'],
    ]);
    expect(prod.env).toMatchObject({
      nodeEnv: 'production',
      logFormat: 'json',
      sandboxPortals: false,
      piiEncryptionKey: key(1),
    });
  });

  it.each([
    [{ NODE_ENV: 'test' }, 'json'],
    [{ NODE_ENV: 'development', LOG_FORMAT: 'json' }, 'json'],
    [{ ...production, LOG_FORMAT: 'pretty' }, 'pretty'],
  ])('logs as %o says: %s', (env, format) => {
    const secrets = { CPGRAMS_API_KEY: 'c', UP_IGRS_API_KEY: 'u', MH_AAPLESARKAR_API_KEY: 'm' };
    const webhooks = { UP_IGRS_WEBHOOK_SECRET: 'uw', MH_AAPLESARKAR_WEBHOOK_SECRET: 'mw' };
    expect(
      loadHubConfig({ configDir: TEST_CONFIG_DIR, env: { ...env, ...secrets, ...webhooks } }).env
        .logFormat,
    ).toBe(format);
  });

  it('takes a previous webhook secret only while its variable is set (rotation)', () => {
    expect(config.portals.map((p) => p.previousWebhookSecret)).toEqual([null, null, null]);
    const rotating = loadHubConfig({
      configDir: TEST_CONFIG_DIR,
      env: {
        NODE_ENV: 'development',
        UP_IGRS_WEBHOOK_SECRET: 'new',
        UP_IGRS_WEBHOOK_SECRET_PREVIOUS: 'old',
      },
    });
    expect(rotating.portals[1]).toMatchObject({
      webhookSecret: 'new',
      previousWebhookSecret: 'old',
    });
    expect(rotating.portals[2].previousWebhookSecret).toBeNull();
  });

  it('interpolates ${VAR:-default} from the given environment', () => {
    const c = loadHubConfig({
      configDir: TEST_CONFIG_DIR,
      env: {
        NODE_ENV: 'development',
        CPGRAMS_BASE_URL: 'https://cpgrams.example.in/api',
        CPGRAMS_POLL_EVERY_MS: '500',
        MIRROR_STATE_GRIEVANCES: 'true',
      },
    });
    expect(c.portals[0].baseUrl).toBe('https://cpgrams.example.in/api');
    expect(c.portals[0].poll).toEqual({ everyMs: 500 });
    expect(c.routing.mirrorStateGrievances).toEqual({ enabled: true, portal: 'CPGRAMS' });
  });
});

describe('loadHubConfig refuses a bad environment', () => {
  it('names every missing secret in production', () => {
    const error = errorFor(production);
    expect(error.issues.map((i) => [i.path, i.message])).toEqual([
      [
        'portals[0].credential.env',
        expect.stringContaining('CPGRAMS_API_KEY is required in production'),
      ],
      ['portals[1].credential.env', expect.stringContaining('UP_IGRS_API_KEY')],
      ['portals[1].webhookSecret.env', expect.stringContaining('UP_IGRS_WEBHOOK_SECRET')],
      ['portals[2].credential.env', expect.stringContaining('MH_AAPLESARKAR_API_KEY')],
      ['portals[2].webhookSecret.env', expect.stringContaining('MH_AAPLESARKAR_WEBHOOK_SECRET')],
    ]);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT', /whole number/],
    [{ HUB_ROLE: 'scheduler' }, 'HUB_ROLE', /api|worker|all/],
    [{ LOG_FORMAT: 'xml' }, 'LOG_FORMAT', /json|pretty/],
    [{ PORTAL_AUTH_FAILURES_PER_MINUTE: '0' }, 'PORTAL_AUTH_FAILURES_PER_MINUTE', /1/],
    [{ REDIS_URL: 'http://cache' }, 'REDIS_URL', /redis:\/\//],
    [{ REDIS_CLUSTER_NODES: 'redis-1, redis-2:6379' }, 'REDIS_CLUSTER_NODES', /host:port/],
    [{ REDIS_SENTINELS: '10.0.0.1:26379' }, 'REDIS_SENTINEL_NAME', /master's name/],
    [
      { REDIS_SENTINELS: '10.0.0.1:26379', REDIS_SENTINEL_NAME: 'hub', REDIS_CLUSTER_NODES: 'a:1' },
      'REDIS_SENTINELS',
      /not both/,
    ],
    [{ SHUTDOWN_TIMEOUT: '25' }, 'SHUTDOWN_TIMEOUT', /duration/],
    [{ PII_ENCRYPTION_KEY: key(1).slice(4) }, 'PII_ENCRYPTION_KEY', /32 bytes/],
    [{ NODE_ENV: 'production' }, 'DATABASE_URL', /production/],
    [{ NODE_ENV: 'production' }, 'PII_LOOKUP_KEY', /production/],
    [{}, 'DATABASE_URL', /production/],
    [{ TRUSTED_PROXIES: 'the-balancer' }, 'TRUSTED_PROXIES', /hop count|address/],
    [{ TRUSTED_PROXIES: '10.0.0.0/33' }, 'TRUSTED_PROXIES', /hop count|address/],
    [{ TRUSTED_PROXIES: '0' }, 'TRUSTED_PROXIES', /hop count/],
    [{ REPEAT_SIMILARITY: '1.5' }, 'REPEAT_SIMILARITY', /0\.05 to 1/],
    [{ CLUSTER_SIMILARITY: 'high' }, 'CLUSTER_SIMILARITY', /0\.05 to 1/],
    [{ REPEAT_DETECTION: 'yes' }, 'REPEAT_DETECTION', /true|false/i],
    [{ CORS_ORIGINS: '*' }, 'CORS_ORIGINS', /origin/],
    [{ CORS_ORIGINS: 'https://app.example.in/track' }, 'CORS_ORIGINS', /origin/],
    [{ SERVE_METRICS: 'yes' }, 'SERVE_METRICS', /true|false/],
    [{ DATABASE_READ_URL: 'mysql://replica/hub' }, 'DATABASE_READ_URL', /postgres:\/\//],
    [{ DIRECT_DATABASE_URL: 'db:5432' }, 'DIRECT_DATABASE_URL', /postgres:\/\//],
    [
      { DATABASE_URL: '', DATABASE_READ_URL: 'postgres://replica/hub' },
      'DATABASE_READ_URL',
      /DATABASE_URL/,
    ],
  ])('rejects environment %o', (env, variable, message) => {
    const error = errorFor(env);
    expect(error.issues).toContainEqual({
      file: 'environment',
      path: variable,
      message: expect.stringMatching(message),
    });
  });
});

describe('the Redis topology', () => {
  const envOf = (env: Record<string, string>) =>
    loadHubConfig({ configDir: TEST_CONFIG_DIR, env: { NODE_ENV: 'development', ...env } }).env;

  it("is a cluster from its seed nodes, with the data nodes' credentials", () => {
    expect(
      envOf({
        REDIS_CLUSTER_NODES: '10.0.0.1:6379, redis-2.internal:7000,[::1]:7001',
        REDIS_PASSWORD: 'pw',
        REDIS_TLS: 'true',
      }).redis,
    ).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 6379 },
        { host: 'redis-2.internal', port: 7000 },
        { host: '::1', port: 7001 },
      ],
      username: undefined,
      password: 'pw',
      tls: true,
    });
  });

  it('is a sentinel set with the master it monitors', () => {
    expect(
      envOf({ REDIS_SENTINELS: 's1:26379,s2:26379', REDIS_SENTINEL_NAME: 'hub-master' }).redis,
    ).toMatchObject({
      kind: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
      masterName: 'hub-master',
      tls: false,
    });
  });
});

describe('loadHubConfig in production', () => {
  it('takes an unset NODE_ENV for production: dev defaults off, operator UIs not served', () => {
    const { NODE_ENV: _unset, ...withoutNodeEnv } = production;
    const c = loadHubConfig({ configDir: TEST_CONFIG_DIR, env: { ...withoutNodeEnv, ...secrets } });
    expect(c.env).toMatchObject({
      nodeEnv: 'production',
      sandboxPortals: false,
      trustedProxies: false,
      corsOrigins: [],
      serve: { docs: false, queueBoard: false, metrics: false },
    });
    expect(errorFor(withoutNodeEnv).issues).toContainEqual({
      file: 'test/config/portals.yaml',
      path: 'portals[1].webhookSecret.env',
      message: expect.stringContaining('UP_IGRS_WEBHOOK_SECRET is required in production'),
    });
  });

  it('serves what SERVE_* enables, and reads TRUSTED_PROXIES and CORS_ORIGINS', () => {
    const c = loadHubConfig({
      configDir: TEST_CONFIG_DIR,
      env: {
        ...production,
        ...secrets,
        SERVE_DOCS: 'true',
        SERVE_METRICS: '1',
        TRUSTED_PROXIES: ' 10.0.0.0/8, 192.168.1.10 ,loopback,fd00::/8 ',
        CORS_ORIGINS: 'https://app.example.in, http://localhost:5173',
      },
    });
    expect(c.env).toMatchObject({
      serve: { docs: true, queueBoard: false, metrics: true },
      trustedProxies: ['10.0.0.0/8', '192.168.1.10', 'loopback', 'fd00::/8'],
      corsOrigins: ['https://app.example.in', 'http://localhost:5173'],
    });
    expect(
      loadHubConfig({
        configDir: TEST_CONFIG_DIR,
        env: { ...production, ...secrets, TRUSTED_PROXIES: '2' },
      }).env,
    ).toMatchObject({ trustedProxies: 2 });
  });

  // Every secret committed in config/portals.yaml is public: production must not run with it.
  it.each([
    ['CPGRAMS_API_KEY', 'dev-cpgrams-key', 'portals[0].credential.env'],
    ['UP_IGRS_API_KEY', 'dev-up-igrs-key', 'portals[1].credential.env'],
    ['UP_IGRS_WEBHOOK_SECRET', 'dev-up-igrs-webhook-secret', 'portals[1].webhookSecret.env'],
    ['MH_AAPLESARKAR_API_KEY', 'dev-mh-aaplesarkar-key', 'portals[2].credential.env'],
    // Another portal's published secret is just as public.
    ['MH_AAPLESARKAR_WEBHOOK_SECRET', 'dev-up-igrs-webhook-secret', 'portals[2].webhookSecret.env'],
  ])('refuses %s set to a secret published in the repository', (variable, value, path) => {
    const error = errorFor({ ...production, ...secrets, [variable]: value });
    expect(error.issues).toEqual([
      {
        file: 'test/config/portals.yaml',
        path,
        message: expect.stringMatching(new RegExp(`${variable} .*published in the repository`)),
      },
    ]);
    expect(error.message).not.toContain(value);
  });
});
