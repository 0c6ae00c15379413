import type { z } from 'zod';
import type { PortalInstance } from './adapter';

/** Parses a portal's `options` or throws naming the portal and each bad option path. */
export function parseOptions<S extends z.ZodType>(
  schema: S,
  portal: PortalInstance,
  raw: unknown,
): z.infer<S> {
  const result = schema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = ['options', ...issue.path.map(String)].join('.');
    // A bad record key reports "Invalid key in record"; the reason is one level down.
    const inner = issue.code === 'invalid_key' ? issue.issues[0]?.message : undefined;
    return `${path}: ${inner ?? issue.message}`;
  });
  throw new Error(
    `Portal ${portal.code} (kind ${portal.kind}): invalid options — ${problems.join('; ')}`,
  );
}
