export interface ConfigIssue {
  /** e.g. "config/portals.yaml", or "environment" for environment variables. */
  file: string;
  /** e.g. "portals[1].delivery.timeoutMs", or the variable name. */
  path: string;
  message: string;
}

/** The hub refuses to start with this error; its message lists every issue found, not just the first. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly issues: ConfigIssue[]) {
    super(
      `Invalid hub configuration (${issues.length} issue${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  - ${i.file}: ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n'),
    );
  }
}

/** ["portals", 1, "delivery"] → "portals[1].delivery". */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}
