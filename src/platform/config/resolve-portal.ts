import type { NodeEnv, PortalConfig } from './hub-config';
import { POLL_DEFAULT_EVERY_MS as POLL_DEFAULT, type PortalEntry } from './portals.schema';

type SecretRef = { env: string; devDefault?: string };
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
  const secret = (ref: SecretRef, field: string): string | null => {
    const value = env[ref.env];
    if (value && nodeEnv === 'production' && published.has(value)) {
      onIssue(
        `portals[${index}].${field}.env`,
        `Environment variable ${ref.env} (${entry.code} ${field}) holds a value published in the repository; production needs a secret of its own`,
      );
    }
    if (value) return value;
    // Dev defaults exist so `npm start` works out of the box; production must never use them.
    if (nodeEnv !== 'production' && ref.devDefault) return ref.devDefault;
    onIssue(
      `portals[${index}].${field}.env`,
      nodeEnv === 'production'
        ? `Environment variable ${ref.env} is required in production (${entry.code} ${field})`
        : `Environment variable ${ref.env} is not set and no devDefault is given (${entry.code} ${field})`,
    );
    return null;
  };
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
  };
}
