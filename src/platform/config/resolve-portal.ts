import { readFileSync } from 'node:fs';
import { secretRefsIn, type SecretRef } from '../../../adapters/secret-ref';
import type { NodeEnv, PortalConfig } from './hub-config';
import { POLL_DEFAULT_EVERY_MS as POLL_DEFAULT, type PortalEntry } from './portals.schema';
type OnIssue = (path: string, message: string) => void;

/** Turns a portal entry into a PortalConfig, reading its secrets from the environment. */
export function resolvePortal(
  entry: PortalEntry,
  index: number,
  nodeEnv: NodeEnv,
  env: Record<string, string | undefined>,
  onIssue: OnIssue,
  /** Values anyone can read in the repository; refused in production. */
  published: ReadonlySet<string>,
): PortalConfig {
  // `at`: where an issue is reported; a credential's or webhook secret's names its `env` field,
  // an option's the option itself (its reference is one string).
  const secret = (
    ref: SecretRef,
    field: string,
    at = `portals[${index}].${field}.env`,
  ): string | null => {
    if ('file' in ref) return fileSecret(ref.file, field, at);
    const value = env[ref.env];
    if (value && nodeEnv === 'production' && published.has(value)) {
      onIssue(
        at,
        `Environment variable ${ref.env} (${entry.code} ${field}) holds a value published in the repository; production needs a secret of its own`,
      );
    }
    if (value) return value;
    // Dev defaults exist so `npm start` works out of the box; production must never use them.
    if (nodeEnv !== 'production' && ref.devDefault) return ref.devDefault;
    onIssue(
      at,
      nodeEnv === 'production'
        ? `Environment variable ${ref.env} is required in production (${entry.code} ${field})`
        : `Environment variable ${ref.env} is not set and no devDefault is given (${entry.code} ${field})`,
    );
    return null;
  };
  const fileSecret = (file: string, field: string, at: string): string | null => {
    let value: string;
    try {
      value = readFileSync(file, 'utf8').replace(/[\r\n]+$/, '');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      onIssue(at, `Cannot read the secret file ${file} (${code}) (${entry.code} ${field})`);
      return null;
    }
    if (nodeEnv === 'production' && published.has(value)) {
      onIssue(
        at,
        `The secret file ${file} (${entry.code} ${field}) holds a value published in the repository; production needs a secret of its own`,
      );
    }
    if (value) return value;
    onIssue(at, `The secret file ${file} is empty (${entry.code} ${field})`);
    return null;
  };
  // Secrets the options refer to, by option path; the options keep only the references.
  const optionSecrets: Record<string, string> = {};
  for (const { path, ref } of secretRefsIn(entry.options)) {
    const value = secret(ref, `options.${path}`, `portals[${index}].options.${path}`);
    if (value !== null) optionSecrets[path] = value;
  }
  // Unlike a previous PII key (which only decrypts), a previous webhook secret authenticates
  // pushes: a published one would let anyone forge them for as long as the rotation lasts.
  const previousSecret = (name: string): string | null => {
    const value = env[name] || null;
    if (value && nodeEnv === 'production' && published.has(value)) {
      onIssue(
        `portals[${index}].webhookSecret.previousEnv`,
        `Environment variable ${name} (${entry.code} previous webhook secret) holds a value published in the repository; pushes signed with it would be forgeries`,
      );
    }
    return value;
  };
  const credentialValue = entry.credential ? secret(entry.credential, 'credential') : null;
  return {
    code: entry.code,
    name: entry.name,
    kind: entry.kind,
    baseUrl: entry.baseUrl,
    mode: entry.mode,
    jurisdiction: entry.jurisdiction,
    credential:
      entry.credential && credentialValue !== null
        ? { header: entry.credential.header, value: credentialValue }
        : null,
    webhookSecret: entry.webhookSecret ? secret(entry.webhookSecret, 'webhookSecret') : null,
    // Optional by design: set only while a portal moves to a new secret.
    previousWebhookSecret: entry.webhookSecret?.previousEnv
      ? previousSecret(entry.webhookSecret.previousEnv)
      : null,
    delivery: entry.delivery,
    poll: entry.mode === 'pull' ? (entry.poll ?? { everyMs: POLL_DEFAULT }) : null,
    ...(entry.lookup && { lookup: entry.lookup }),
    ...(entry.monthlyCapPerMobile && { monthlyCapPerMobile: entry.monthlyCapPerMobile }),
    options: entry.options,
    ...(Object.keys(optionSecrets).length > 0 && { secrets: optionSecrets }),
  };
}
