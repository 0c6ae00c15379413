import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The lifecycle's own writes (docs/architecture.md#modules): a complaint's status and the columns
 * that go with it, its timeline (`status_events`) and the citizen notification of a status change
 * (`notifications` rows). Personal-data columns (erasure, key rotation) and the redaction of a
 * timeline entry's remarks are not status writes.
 */
export const STATUS_COLUMNS = [
  'status',
  'status_at',
  'status_from',
  'resolved_at',
  'resolved_by_portal',
  'resolution_remarks',
  'closed_at',
  'appealed_at',
  'appeal_due_at',
] as const;

const PRISMA_FIELDS = STATUS_COLUMNS.map((c) =>
  c.replace(/_(\w)/g, (_, l: string) => l.toUpperCase()),
);

const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length;

/** The text between the bracket at `open` and its partner (no bracket inside strings assumed). */
function balanced(text: string, open: number): string {
  const pairs: Record<string, string> = { '(': ')', '{': '}' };
  const stack: string[] = [];
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (pairs[ch]) stack.push(pairs[ch]);
    else if (ch === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return text.slice(open, i + 1);
    }
  }
  return text.slice(open);
}

const REDACTED = new Set(['remarks', 'resolution_remarks']);

/** The columns a SET list assigns, less remarks set to NULL (erasure redacts, it changes no status). */
function assigned(set: string): string[] {
  return [...set.matchAll(/(?:^|,)\s*(?:\w+\.)?"?([a-z_]+)"?\s*=\s*(NULL\b)?/gi)]
    .filter((c) => !(c[2] && REDACTED.has(c[1].toLowerCase())))
    .map((c) => c[1].toLowerCase());
}

/** Every write of the lifecycle's in `text`, as `line: what`. */
export function lifecycleWrites(text: string): string[] {
  const found: string[] = [];
  const add = (index: number, what: string) => found.push(`${lineOf(text, index)}: ${what}`);

  for (const m of text.matchAll(/\bINSERT\s+INTO\s+(status_events|notifications)\b/gi))
    add(m.index, `inserts into ${m[1]}`);
  for (const m of text.matchAll(/\bDELETE\s+FROM\s+status_events\b/gi))
    add(m.index, 'deletes from status_events');
  for (const m of text.matchAll(
    /\bUPDATE\s+status_events\b(?:\s+\w+)?\s+SET\b([\s\S]{0,2000}?)(?:\bWHERE\b|\bFROM\b|\bRETURNING\b|`)/gi,
  )) {
    if (assigned(m[1]).some((c) => c !== 'remarks')) add(m.index, 'updates status_events');
  }
  for (const m of text.matchAll(
    /\bUPDATE\s+complaints\b(?:\s+(?:AS\s+)?\w+)?\s+SET\b([\s\S]{0,2000}?)(?:\bWHERE\b|\bFROM\b|\bRETURNING\b|`)/gi,
  )) {
    const hit = assigned(m[1]).filter((c) => (STATUS_COLUMNS as readonly string[]).includes(c));
    if (hit.length > 0) add(m.index, `updates complaints.${hit.join(', ')}`);
  }
  for (const m of text.matchAll(/\bINSERT\s+INTO\s+complaints\s*\(([^)]*)\)/gi)) {
    const hit = m[1]
      .split(',')
      .map((c) => c.trim().toLowerCase())
      .filter((c) => (STATUS_COLUMNS as readonly string[]).includes(c));
    if (hit.length > 0) add(m.index, `inserts complaints.${hit.join(', ')}`);
  }

  for (const m of text.matchAll(
    /\.statusEvent\.(create|createMany|upsert|update|updateMany|delete|deleteMany)\s*\(/g,
  ))
    add(m.index, `statusEvent.${m[1]}`);
  for (const m of text.matchAll(/\.notification\.(create|createMany|upsert)\s*\(/g))
    add(m.index, `notification.${m[1]}`);
  for (const m of text.matchAll(
    /\.complaint\.(create|createMany|update|updateMany|upsert)\s*\(/g,
  )) {
    const call = balanced(text, m.index + m[0].length - 1);
    const fields = [...call.matchAll(/\b(?:data|create|update)\s*:\s*\{/g)].flatMap((d) => {
      const data = balanced(call, d.index + d[0].length - 1);
      return PRISMA_FIELDS.filter((f) => new RegExp(`[{,\\s]${f}\\s*:`).test(data));
    });
    if (fields.length > 0)
      add(m.index, `complaint.${m[1]} sets ${[...new Set(fields)].join(', ')}`);
  }
  return found.sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
}

/**
 * Lifecycle writes in `root`/src outside src/lifecycle/ (generated code and unit specs aside),
 * as `path:line: what`.
 */
export function lifecycleWritesOutsideOwner(root: string): string[] {
  const src = join(root, 'src');
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const path = join(dir, e.name);
      if (e.isDirectory())
        return e.name === 'generated' || path === join(src, 'lifecycle') ? [] : walk(path);
      return e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') ? [path] : [];
    });
  return walk(src).flatMap((file) =>
    lifecycleWrites(readFileSync(file, 'utf8')).map((w) => `${relative(root, file)}:${w}`),
  );
}
