import DataLoader from 'dataloader';

/**
 * Collects what concurrent jobs ask for during one turn of the event loop and hands it to `run` as
 * one batch (one statement instead of one per job). `run` returns a result or an Error per key,
 * in key order; if it throws, every caller in the batch gets that error.
 */
export function batched<K, V>(
  run: (keys: readonly K[]) => Promise<(V | Error)[]>,
  maxBatchSize = 100,
): DataLoader<K, V> {
  return new DataLoader(run, { cache: false, maxBatchSize, batchScheduleFn: setImmediate });
}
