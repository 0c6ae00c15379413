import { AxiosError, AxiosHeaders, type AxiosResponse } from 'axios';
import { PermanentError, RetryableError } from './adapter';
import {
  classifyHttpError,
  extractPortalMessage,
  parseRetryAfter,
  redactPersonalData,
} from './http-errors';
import { PERSON, personalDataIn } from './testing/fixtures';

const config = { headers: new AxiosHeaders() };
const ctx = { operation: 'TEST submit', pii: Object.values(PERSON) };

function httpError(
  status: number,
  data: unknown,
  headers: Record<string, string> = {},
): AxiosError {
  const response = { status, statusText: '', data, headers, config } as AxiosResponse;
  return new AxiosError(
    `Request failed with status code ${status}`,
    'ERR_BAD_RESPONSE',
    config,
    {},
    response,
  );
}
const netError = (code: string) => new AxiosError(`${code} happened`, code, config, {});

describe('classifyHttpError', () => {
  it.each([
    ['timeout (ECONNABORTED)', netError('ECONNABORTED'), true],
    ['timeout (ETIMEDOUT)', netError('ETIMEDOUT'), true],
    ['socket hang up (ECONNRESET)', netError('ECONNRESET'), true],
    ['aborted by the caller', netError('ERR_CANCELED'), true],
    ['connection refused', netError('ECONNREFUSED'), false],
    ['unknown host', netError('ENOTFOUND'), false],
    ['500', httpError(500, {}), true],
    ['502', httpError(502, '<html>Bad Gateway</html>'), true],
    ['408', httpError(408, {}), true],
    ['503', httpError(503, {}), false],
    ['429', httpError(429, {}), false],
  ])('%s → RetryableError, ambiguous=%s', (_name, error, ambiguous) => {
    const result = classifyHttpError(error, ctx);
    expect(result).toBeInstanceOf(RetryableError);
    expect((result as RetryableError).details.ambiguous).toBe(ambiguous);
    expect(result.message).toMatch(/^TEST submit: /);
  });

  it('takes Retry-After in seconds from a 503 and as an HTTP date from a 429', () => {
    const seconds = classifyHttpError(
      httpError(503, {}, { 'retry-after': '120' }),
      ctx,
    ) as RetryableError;
    expect(seconds.details).toEqual({ ambiguous: false, httpStatus: 503, retryAfterMs: 120_000 });
    const date = new Date(Date.now() + 60_000).toUTCString();
    const dated = classifyHttpError(
      httpError(429, {}, { 'retry-after': date }),
      ctx,
    ) as RetryableError;
    expect(dated.details.retryAfterMs).toBeGreaterThan(50_000);
    expect(dated.details.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it.each([400, 401, 403, 404, 409, 422])(
    '%i → PermanentError with the portal message',
    (status) => {
      const result = classifyHttpError(httpError(status, { message: 'pincode is not valid' }), ctx);
      expect(result).toBeInstanceOf(PermanentError);
      expect((result as PermanentError).details).toEqual({
        portalMessage: 'pincode is not valid',
        httpStatus: status,
      });
    },
  );

  it('never repeats personal data the portal echoes back, nor our request body', () => {
    const echo = `Mobile ${PERSON.mobile} of ${PERSON.name} (${PERSON.email}) at ${PERSON.address} is blocked; call +91 98765 43210`;
    const error = httpError(400, { error: { message: echo } });
    error.config = { ...config, data: JSON.stringify(PERSON) };
    const result = classifyHttpError(error, ctx) as PermanentError;
    expect(personalDataIn(result.message)).toEqual([]);
    expect(personalDataIn(result.details.portalMessage)).toEqual([]);
    expect(result.details.portalMessage).toContain('is blocked');
  });

  it('keeps the portal message short and falls back to the status', () => {
    const long = classifyHttpError(
      httpError(400, { detail: 'x'.repeat(1000) }),
      ctx,
    ) as PermanentError;
    expect(long.details.portalMessage.length).toBeLessThanOrEqual(200);
    const empty = classifyHttpError(httpError(400, '<html>400</html>'), ctx) as PermanentError;
    expect(empty.details.portalMessage).toBe('HTTP 400');
  });

  it('passes anything that is not an HTTP failure through unchanged', () => {
    const bug = new TypeError('x is undefined');
    expect(classifyHttpError(bug, ctx)).toBe(bug);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-05T10:00:00Z');
  it.each([
    ['30', 30_000],
    [' 0 ', 0],
    ['Mon, 05 Jan 2026 10:00:45 GMT', 45_000],
    ['Mon, 05 Jan 2026 09:00:00 GMT', 0],
    ['soon', undefined],
    [undefined, undefined],
  ])('%p → %p', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe('extractPortalMessage / redactPersonalData', () => {
  it('reads the configured field first, then the usual ones', () => {
    expect(
      extractPortalMessage(
        { sandesh: 'galat', message: 'wrong' },
        { errorMessageField: 'sandesh' },
      ),
    ).toBe('galat');
    expect(extractPortalMessage({ errors: [{ message: 'first' }] }, {})).toBe('first');
  });

  it('removes mobiles and e-mail addresses even when we did not send them', () => {
    expect(redactPersonalData('call 9988776655 or write to x.y@gov.in', [])).toBe(
      'call [redacted] or write to [redacted]',
    );
    expect(redactPersonalData('complaint 40016226000123 not found', [])).toBe(
      'complaint 40016226000123 not found',
    );
  });
});
