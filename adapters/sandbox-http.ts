import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxReply, SandboxRoute } from './sandbox-kit';

const MAX_BODY_BYTES = 256 * 1024;

export function matchRoute(routes: SandboxRoute[], method: string, pathname: string) {
  const segments = pathname.split('/').filter(Boolean);
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = pattern.every((part, i) => {
      let value: string;
      try {
        value = decodeURIComponent(segments[i]);
      } catch {
        return false;
      }
      if (part.startsWith(':')) params[part.slice(1)] = value;
      return part.startsWith(':') || part === value;
    });
    if (matches) return { route, params };
  }
  return undefined;
}

/** The body as text, or null when it exceeds the limit. */
export async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  return size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8');
}

export function send(res: ServerResponse, reply: SandboxReply): void {
  if (res.destroyed || res.writableEnded) return;
  // A string body is sent as it is (a portal answering XML sets its Content-Type).
  const raw = typeof reply.body === 'string';
  const text =
    reply.body === undefined ? '' : raw ? (reply.body as string) : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...(text && {
      'Content-Type': !raw
        ? 'application/json; charset=utf-8'
        : text.startsWith('<?xml')
          ? 'text/xml; charset=utf-8'
          : 'text/plain; charset=utf-8',
    }),
    'Content-Length': String(Buffer.byteLength(text)),
    ...reply.headers,
  });
  res.end(text);
}
