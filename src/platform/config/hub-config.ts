import type { PortalInstance } from '../../../adapters/adapter';
import type { GovernanceIndexConfig } from './governance-index.schema';

export type NodeEnv = 'development' | 'test' | 'production';
export type HubRole = 'api' | 'worker' | 'all';
export type LogFormat = 'json' | 'pretty';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface RedisNode {
  host: string;
  port: number;
}

/** Credentials of the data nodes (cluster members, sentinel-managed master and replicas). */
export interface RedisAuth {
  username?: string;
  password?: string;
  tls: boolean;
  /** PEM certificates the nodes' TLS certificates must chain to (REDIS_TLS_CA); else Node's. */
  tlsCa?: string;
}

export type RedisTopology =
  | { kind: 'standalone'; url: string; tlsCa?: string }
  | ({ kind: 'cluster'; nodes: RedisNode[] } & RedisAuth)
  | ({
      kind: 'sentinel';
      sentinels: RedisNode[];
      masterName: string;
      sentinelPassword?: string;
    } & RedisAuth);

/** The validated environment (only src/platform/config reads process.env). */
export interface HubEnv {
  nodeEnv: NodeEnv;
  port: number;
  hubRole: HubRole;
  databaseUrl: string | null;
  /** The primary without PgBouncer, for migrations; null: databaseUrl. */
  directDatabaseUrl: string | null;
  /** A streaming replica for staff reads that may lag (lists, dashboards, exports); null: none. */
  databaseReadUrl: string | null;
  /** Send the hot statements as named prepared statements (DATABASE_PREPARED_STATEMENTS). */
  databasePreparedStatements: boolean;
  /** Standalone (REDIS_URL), Redis Cluster (REDIS_CLUSTER_NODES) or Sentinel (REDIS_SENTINELS). */
  redis: RedisTopology;
  redisPrefix: string;
  /** How long a SIGTERM waits for in-flight requests and jobs before the process exits anyway. */
  shutdownTimeoutMs: number;
  logLevel: LogLevel;
  /** `pretty` (pino-pretty, for a person) or `json` (one JSON object per line, for collectors). */
  logFormat: LogFormat;
  /** Base64 of 32 bytes; null outside production when unset (dev keys are made elsewhere). */
  piiEncryptionKey: string | null;
  piiLookupKey: string | null;
  /** Base64 keys rotated out: still decrypt old envelopes until `npm run hub -- pii rotate-key`. */
  piiPreviousKeys: string[];
  /** Personal data of grievances closed longer than this is erased. */
  piiRetentionDays: number;
  /** Audit-log months (partitions) older than this are dropped whole. */
  auditRetentionMonths: number;
  /**
   * Months (partitions) of the portals' raw status events, and their once-per-event keys, older
   * than this are dropped; a portal re-sending an event id older than this is taken as new.
   */
  inboundEventsRetentionMonths: number;
  configDir: string;
  rateLimitPerMinute: number;
  /** Failed portal signatures per source address per minute before it gets 429 for a minute. */
  portalAuthFailuresPerMinute: number;
  sandboxPortals: boolean;
  /** Citizen e-mail goes out only when set (smtp:// or smtps://, credentials in the URL). */
  smtpUrl: string | null;
  mailFrom: string;
  /** RESOLVED/REJECTED without feedback for this long → CLOSED. */
  autoCloseAfterMs: number;
  /** Sandbox officers' pace (npm start); 0 leaves sandbox grievances where they are. */
  sandboxOfficerStepMs: number;
  /** Fastify `trustProxy`: false (the socket is the client), a hop count, or proxy addresses/CIDRs. */
  trustedProxies: false | number | string[];
  /** Origins a browser may call the API from; empty: no cross-origin access. */
  corsOrigins: string[];
  /** Open311 GET requests shows each grievance's subject as its description (default off). */
  open311PublicText: boolean;
  /** Operator tools: Swagger (/docs), bull-board (/admin/queues), Prometheus (/metrics). */
  serve: { docs: boolean; queueBoard: boolean; metrics: boolean };
  /** Repeat and cluster detection at intake (REPEAT_*, CLUSTER_*; docs/citizen.md#repeats). */
  repeats: RepeatSettings;
}

export interface RepeatSettings {
  /** Off: no 409 for repeats and no clusters (the monthly cap still applies). */
  enabled: boolean;
  /** grievance_similarity at or above which the same mobile's open grievance is a repeat. */
  similarity: number;
  /** ... at or above which another citizen's grievance joins the same cluster. */
  clusterSimilarity: number;
  /** How far back a cluster looks for the same problem. */
  clusterWindowMs: number;
}

export type PortalJurisdiction = { level: 'central' } | { level: 'state'; stateCode: string };

export interface DeliveryConfig {
  concurrency: number;
  ratePerSecond: number;
  timeoutMs: number;
  attempts: number;
  backoffMs: number;
  circuit: { failureThreshold: number; openMs: number };
}

export interface PortalConfig extends PortalInstance {
  mode: 'push' | 'pull';
  jurisdiction: PortalJurisdiction;
  delivery: DeliveryConfig;
  /** Set for pull portals only. */
  poll: { everyMs: number } | null;
  /** 'none': declared in portals.yaml, the adapter has no lookup (at-least-once delivery). */
  lookup?: 'none';
  /** Grievances one mobile may lodge to this portal per calendar month (IST); null: no cap. */
  monthlyCapPerMobile?: number | null;
  /** HMAC secret for the portal's signed status pushes; null when the portal does not push. */
  webhookSecret: string | null;
  /** The secret being rotated out, still accepted on pushes; null outside a rotation. */
  previousWebhookSecret: string | null;
}

export interface RoutingRule {
  name: string;
  stateCode: string;
  /** Omitted: every district of the state. */
  districts?: string[];
  /** Omitted: every category. */
  categories?: string[];
  portal: string;
}

export interface RoutingConfig {
  centralPortal: string;
  mirrorStateGrievances: { enabled: boolean; portal: string };
  rules: RoutingRule[];
}

export interface Category {
  code: string;
  label: { en: string; hi: string };
  level: 'state' | 'central';
  /** CPGRAMS organisation code; set exactly when level is central. */
  ministry: string | null;
  /** Open311 `group` and `keywords`; absent: grouped by level, no keywords. */
  group?: string;
  keywords?: string[];
}

export interface Ministry {
  code: string;
  name: string;
}

export interface StateJurisdiction {
  code: string;
  name: string;
  type: 'State' | 'UT';
}

export interface District {
  stateCode: string;
  code: string;
  name: string;
}

export interface Jurisdictions {
  states: StateJurisdiction[];
  districts: District[];
  /** First three digits of a PIN code → LGD codes of the states with post offices under it. */
  pincodePrefixes: Record<string, string[]>;
}

export interface EscalationLevel {
  name: string;
  afterDays: number;
}

export interface SlaTerms {
  redressalDays: number;
  warningAtPct: number;
  appealWindowDays: number;
  appealRedressalDays: number;
  dayType: 'calendar' | 'working';
  escalationLevels: EscalationLevel[];
}

/** A policy with every term resolved (omitted terms filled from `defaults`). */
export interface SlaPolicy extends SlaTerms {
  portal: string;
  /** null: the portal's policy for every category without a policy of its own. */
  category: string | null;
  source: string | null;
}

export interface SlaConfig {
  defaults: SlaTerms;
  policies: SlaPolicy[];
  /** ISO dates by state code, or "central". */
  holidays: Record<string, string[]>;
}

export interface HubConfig {
  env: HubEnv;
  portals: PortalConfig[];
  routing: RoutingConfig;
  categories: Category[];
  ministries: Ministry[];
  jurisdictions: Jurisdictions;
  sla: SlaConfig;
  /** config/sla.yaml `governanceIndex` (docs/governance-index.md). */
  governanceIndex: GovernanceIndexConfig;
  /** config/sla.yaml `publicFigures` (docs/public-page.md). */
  publicFigures: { minCount: number; cacheSeconds: number };
}

/** A portal's display name; its code for a portal no longer configured (older grievances). */
export function portalName(config: Pick<HubConfig, 'portals'>, code: string): string {
  return config.portals.find((p) => p.code === code)?.name ?? code;
}
