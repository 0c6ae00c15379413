import type { PortalInstance } from '../../../adapters/adapter';

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
}

export type RedisTopology =
  | { kind: 'standalone'; url: string }
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
  /** Express `trust proxy`: false (the socket is the client), a hop count, or proxy addresses/CIDRs. */
  trustedProxies: false | number | string[];
  /** Origins a browser may call the API from; empty: no cross-origin access. */
  corsOrigins: string[];
  /** Operator tools: Swagger (/docs), bull-board (/admin/queues), Prometheus (/metrics). */
  serve: { docs: boolean; queueBoard: boolean; metrics: boolean };
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
}

/** A portal's display name; its code for a portal no longer configured (older grievances). */
export function portalName(config: Pick<HubConfig, 'portals'>, code: string): string {
  return config.portals.find((p) => p.code === code)?.name ?? code;
}
