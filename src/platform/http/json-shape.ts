import { DomainError, ValidationFailedError } from '../errors/domain-error';

/** Far deeper than any request the hub accepts; deeper bodies overflow class-transformer's stack. */
export const MAX_JSON_DEPTH = 32;
// Keys that reach an object's prototype when a library copies them with `obj[key] = value`.
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The first reason a parsed body is refused before validation, or null. Nearly every body has
 * none: it is looked at once without building any path, and walked again for the path only when
 * refused.
 */
export function jsonShapeProblem(body: unknown): { path: string; message: string } | null {
  return isHostile(body, 0) ? firstProblem(body) : null;
}

/** Whether some value nests too deep or some key is forbidden (recursion bounded by the depth). */
function isHostile(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (depth >= MAX_JSON_DEPTH) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (isHostile(item, depth + 1)) return true;
    return false;
  }
  for (const key of Object.keys(value))
    if (FORBIDDEN_KEYS.has(key) || isHostile((value as Record<string, unknown>)[key], depth + 1))
      return true;
  return false;
}

/** The problem isHostile found, with its path. Iterative: no recursion. */
function firstProblem(body: unknown): { path: string; message: string } | null {
  const stack: { value: unknown; path: string; depth: number }[] = [
    { value: body, path: '', depth: 0 },
  ];
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH)
      return { path: path || '(body)', message: `nests deeper than ${MAX_JSON_DEPTH} levels` };
    for (const key of Object.keys(value)) {
      const child = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) return { path: child, message: 'is not a known field' };
      stack.push({ value: (value as Record<string, unknown>)[key], path: child, depth: depth + 1 });
    }
  }
  return null;
}

/**
 * JSON from a body kept as raw bytes until it was authenticated (signed portal pushes), with the
 * refusals every other route gets from the JSON body parser and rejectHostileJsonShape.
 */
export function parseJsonBody(raw: Buffer): unknown {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new DomainError('malformed-json', 400, 'Bad Request', 'The body is not valid JSON.');
  }
  const found = jsonShapeProblem(body);
  if (found) throw new ValidationFailedError([found]);
  return body;
}
