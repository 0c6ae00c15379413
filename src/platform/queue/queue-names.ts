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
