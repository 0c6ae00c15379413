import { z } from 'zod';
import type { PortalInstance } from './adapter';
import { InvalidAdapterOptionsError } from './options-error';

/**
 * Where a secret in a portal's `options` comes from; the yaml never holds the secret itself.
 * `env:NAME` / `{ env: NAME, devDefault }`: an environment variable (the default only outside
 * production, like a portal's credential); `file:/absolute/path`: a file's contents (a mounted
 * secret, a PEM certificate), trailing line breaks dropped.
 */
export type SecretRef = { env: string; devDefault?: string } | { file: string };

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
const ENV_REF = /^env:([A-Z_][A-Z0-9_]*)$/;
const FILE_REF = /^file:(\/.+)$/;

const REFERENCE_ONLY =
  'must be a secret reference (env:NAME, file:/absolute/path or { env: NAME, devDefault }), never the secret itself';

/** Reads a secret reference in any of its forms; null for anything else (a literal secret). */
export function parseSecretRef(value: unknown): SecretRef | null {
  if (typeof value === 'string') {
    const env = ENV_REF.exec(value);
    if (env) return { env: env[1] };
    const file = FILE_REF.exec(value);
    return file ? { file: file[1] } : null;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  if (typeof o.env === 'string' && ENV_NAME.test(o.env)) {
    const devOk = o.devDefault === undefined || (typeof o.devDefault === 'string' && o.devDefault);
    if (devOk && keys.every((k) => k === 'env' || k === 'devDefault'))
      return { env: o.env, ...(typeof o.devDefault === 'string' && { devDefault: o.devDefault }) };
  }
  if (typeof o.file === 'string' && o.file.startsWith('/') && keys.length === 1)
    return { file: o.file };
  return null;
}

/** An option that holds a secret reference (validated when the hub starts, naming the option). */
export const secretRefSchema = z.custom<SecretRef>((v) => parseSecretRef(v) !== null, {
  error: REFERENCE_ONLY,
});

/**
 * Every secret reference in a portal's options, by dot path (`auth.clientSecret`). The hub
 * resolves each at start (src/platform/config/resolve-portal.ts) into `PortalInstance.secrets`.
 */
export function secretRefsIn(options: unknown, prefix = ''): { path: string; ref: SecretRef }[] {
  const ref = parseSecretRef(options);
  if (ref && prefix) return [{ path: prefix, ref }];
  if (!options || typeof options !== 'object') return [];
  return Object.entries(options).flatMap(([key, value]) =>
    secretRefsIn(value, prefix ? `${prefix}.${key}` : key),
  );
}

/** The resolved value of the secret at an option path; an options error when it is missing. */
export function secretAt(portal: PortalInstance, path: string): string {
  const value = portal.secrets?.[path];
  if (value === undefined)
    throw new InvalidAdapterOptionsError(portal, [
      { path: `options.${path}`, message: 'the secret it refers to was not resolved' },
    ]);
  return value;
}
