import { formatPath } from './config-error';

// ${VAR} or ${VAR:-default}; $${ is a literal "${".
const PATTERN = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces environment references inside every string value of a parsed YAML tree. Done after
 * parsing (not on the raw text) so that a variable's value can never change the YAML structure.
 */
export function interpolateEnv(
  value: unknown,
  env: Record<string, string | undefined>,
  onMissing: (path: string, variable: string) => void,
  path: PropertyKey[] = [],
): unknown {
  if (typeof value === 'string') {
    return value.replace(
      PATTERN,
      (match, name: string | undefined, fallback: string | undefined) => {
        if (!name) return '${';
        const current = env[name];
        // Like the shell's ":-": an empty variable also takes the default.
        if (current !== undefined && current !== '') return current;
        if (fallback !== undefined) return fallback;
        onMissing(formatPath(path), name);
        return match;
      },
    );
  }
  if (Array.isArray(value))
    return value.map((v, i) => interpolateEnv(v, env, onMissing, [...path, i]));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, interpolateEnv(v, env, onMissing, [...path, k])]),
    );
  }
  return value;
}
