import type { z } from 'zod';
import type { PortalInstance } from './adapter';

/** A portal's `options` block is invalid; `issues` name each bad option by its path. */
export class InvalidAdapterOptionsError extends Error {
  override readonly name = 'InvalidAdapterOptionsError';
  constructor(
    portal: PortalInstance,
    readonly issues: { path: string; message: string }[],
  ) {
    super(
      `Portal ${portal.code} (kind ${portal.kind}): invalid options — ${issues
        .map((i) => `${i.path}: ${i.message}`)
        .join('; ')}`,
    );
  }
}

/** Parses a portal's `options` or throws naming the portal and each bad option path. */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  portal: PortalInstance,
  raw: unknown,
): z.infer<S> {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const path = ['options', ...issue.path.map(String)].join('.');
    // A bad record key reports "Invalid key in record"; the reason is one level down.
    const inner = issue.code === 'invalid_key' ? issue.issues[0]?.message : undefined;
    return { path, message: inner ?? issue.message };
  });
  throw new InvalidAdapterOptionsError(portal, issues);
}
