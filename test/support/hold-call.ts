/**
 * Holds the first call of `obj[method]` (before or after it runs) until the test releases it:
 * a worker frozen at that point, deterministically (no timing). Later calls run straight through.
 */
export function holdFirstCall<T extends object>(obj: T, method: keyof T, when: 'before' | 'after') {
  const original = (obj[method] as (...args: unknown[]) => Promise<unknown>).bind(obj);
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let reached!: () => void;
  const reachedP = new Promise<void>((r) => (reached = r));
  let first = true;
  const spy = jest.spyOn(obj, method as never).mockImplementation(((...args: unknown[]) => {
    if (!first) return original(...args);
    first = false;
    return (async () => {
      if (when === 'before') {
        reached();
        await released;
        return original(...args);
      }
      const outcome = await original(...args).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      reached();
      await released;
      if ('error' in outcome) throw outcome.error;
      return outcome.value;
    })();
  }) as never);
  return { reached: reachedP, release, restore: () => spy.mockRestore() };
}

/** Another worker's attempt at the same dispatch (the job came back after the first one's lock expired). */
