import type { Job } from 'bullmq';
import type { DispatchProcessor } from '../../src/dispatch/dispatch.processor';
import type { DispatchJobData } from '../../src/platform/queue/queue-names';
import { waitFor } from './wait';

/** A dispatch job as BullMQ hands it to the processor, for calling `process` directly. */
export function dispatchJob(
  dispatchId: string,
  attemptsMade: number,
  correlationId: string,
): Job<DispatchJobData> {
  return {
    id: `dispatch-${dispatchId}`,
    data: { dispatchId, correlationId },
    attemptsMade,
    opts: { attempts: 4 },
  } as unknown as Job<DispatchJobData>;
}

/**
 * The next call `processor.process` sees (the worker's own attempt at what the test lodges next):
 * resolves, once that call starts, to its outcome (a thrown error comes back as the value).
 */
export function nextProcessCall(processor: DispatchProcessor): Promise<Promise<unknown>> {
  return new Promise<Promise<unknown>>((resolve) => {
    const original = processor.process.bind(processor);
    jest.spyOn(processor, 'process').mockImplementationOnce((job, worker, token) => {
      const run = original(job, worker, token);
      resolve(run.catch((e: unknown) => e));
      return run;
    });
  });
}

/**
 * Waits until no attempt's claim lease runs on the dispatch (the database's clock decides), as
 * it has when BullMQ hands a job to another worker after the first one's lock ran out.
 */
export async function leaseRunOut(
  prisma: { $queryRaw: (q: TemplateStringsArray, ...v: unknown[]) => Promise<unknown> },
  dispatchId: string,
): Promise<void> {
  await waitFor(
    async () => {
      const [row] = (await prisma.$queryRaw`
        SELECT claim_lease_until IS NULL OR claim_lease_until <= now() AS out
        FROM dispatches WHERE id = ${dispatchId}::uuid`) as { out: boolean }[];
      return row.out;
    },
    { what: "the dispatch's claim lease to run out", intervalMs: 200, timeoutMs: 30_000 },
  );
}
