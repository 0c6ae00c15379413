const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/** A dot path ("applicant.mobile") that is safe to write into a plain object. */
export function isSafeDotPath(path: string): boolean {
  return (
    /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/.test(path) &&
    !path.split('.').some((k) => FORBIDDEN_KEYS.has(k))
  );
}

export function readPath(source: unknown, path: string): unknown {
  let current: unknown = source;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function writePath(target: Record<string, unknown>, path: string, value: unknown): void {
  if (!isSafeDotPath(path)) throw new Error(`unsafe field path "${path}"`);
  const keys = path.split('.');
  let current = target;
  for (const key of keys.slice(0, -1)) {
    const next = current[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) current[key] = {};
    current = current[key] as Record<string, unknown>;
  }
  current[keys[keys.length - 1]] = value;
}
