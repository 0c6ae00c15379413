// Do not rename: queue and job names are persisted in Redis, and a rename strands queued work.

/** One dispatch queue per portal, so a slow or broken portal never holds up the others. */
export function dispatchQueueName(portalCode: string): string {
  return `dispatch-${portalCode}`;
}

export const JOBS = {
  submitDispatch: 'submit-dispatch',
} as const;

/** BullMQ job ids may not be all digits nor contain ':'; a dispatch id is a uuid. */
export function dispatchJobId(dispatchId: string): string {
  return `dispatch-${dispatchId}`;
}

export interface DispatchJobData {
  dispatchId: string;
  correlationId: string;
}

/** Status sync, notifications and portal requests (issue 5). */
export const QUEUES = {
  /** Inbound portal events (pushed or polled), applied to the lifecycle. */
  statusSync: 'status-sync',
  /** One job scheduler per pull portal. */
  statusPoll: 'status-poll',
  notifications: 'notifications',
  /** Reminders and appeals forwarded to portals. */
  portalRequests: 'portal-requests',
  /** Periodic lifecycle jobs (auto-close). */
  lifecycle: 'lifecycle',
  /** A new grievance linked to its cluster after intake (issue 15, src/complaints/cluster-link*). */
  clusters: 'cluster-links',
} as const;

export const STATUS_JOBS = {
  applyEvent: 'apply-inbound-event',
  pollPortal: 'poll-portal',
  notify: 'notify-citizen',
  forwardRequest: 'forward-portal-request',
  autoClose: 'auto-close',
  linkCluster: 'link-cluster',
} as const;

/** Deterministic ids (a re-publish is a no-op): never all digits, never ':'. */
export const statusJobId = {
  inbound: (id: string) => `inbound-${id}`,
  notification: (id: string) => `notify-${id}`,
  portalRequest: (id: string) => `request-${id}`,
  pollScheduler: (portalCode: string) => `poll-${portalCode}`,
  autoCloseScheduler: 'auto-close',
  clusterLink: (id: string) => `cluster-${id}`,
};

/** Job data everywhere: a row id and a correlation id; the row is the truth. */
export interface RowJobData {
  id: string;
  correlationId: string;
  /** A batch job (a RowQueue with batchSize > 1): every row it stands for, `id` first. */
  ids?: string[];
}

export interface PollJobData {
  portalCode: string;
}

/** SLA and data-protection schedulers (issue 6): one queue, one job scheduler per job. */
export const SLA_QUEUE = 'sla';

export const SLA_JOBS = {
  /** Warning, breach and escalation: acts once per grievance and level. */
  scan: 'sla-scan',
  /** Folds recently changed grievances into the staff-view rollup. */
  refreshRollup: 'sla-refresh-rollup',
  /** Erases personal data of grievances closed longer than the retention period. */
  retention: 'pii-retention',
  /** Creates monthly partitions ahead and drops whole months past retention (decision 0026). */
  partitions: 'partition-maintenance',
} as const;

/** Every queue of a hub with these portals (bull-board lists them all). */
export function allQueueNames(portals: { code: string }[]): string[] {
  return [...portals.map((p) => dispatchQueueName(p.code)), ...Object.values(QUEUES), SLA_QUEUE];
}
