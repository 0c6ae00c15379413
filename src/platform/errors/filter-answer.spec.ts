import type { ArgumentsHost } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { NotFoundError } from './domain-error';
import { ProblemDetailsFilter } from './problem-details.filter';

/** What Nest hands a filter for an error thrown in a Nest middleware: the raw pair (middie). */
function rawExchange() {
  const req = Object.assign(new IncomingMessage(new Socket()), {
    method: 'POST',
    url: '/',
    originalUrl: '/api/v1/complaints?x=1',
    id: 'b3c1f3a0-8a0b-4b8e-9a55-2f4c4c6f6a11',
  });
  const res: ServerResponse = new ServerResponse(req);
  let body = '';
  res.end = ((chunk: string) => {
    body = chunk;
    return res;
  }) as ServerResponse['end'];
  const host = {
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ArgumentsHost;
  return { host, res, body: () => JSON.parse(body) as Record<string, unknown> };
}

describe('ProblemDetailsFilter on the raw request and response (an error in Nest middleware)', () => {
  const filter = new ProblemDetailsFilter();

  it('answers a domain error with its status as problem+json, the path asked for as instance', () => {
    const { host, res, body } = rawExchange();
    filter.catch(new NotFoundError('Complaint'), host);
    expect(res.statusCode).toBe(404);
    expect(res.getHeader('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(body()).toMatchObject({
      status: 404,
      instance: '/api/v1/complaints?x=1',
      requestId: 'b3c1f3a0-8a0b-4b8e-9a55-2f4c4c6f6a11',
    });
  });

  it('answers a database outage 503 with Retry-After, anything else 500', () => {
    const outage = rawExchange();
    filter.catch(
      Object.assign(new Error('connect refused'), { code: 'ECONNREFUSED' }),
      outage.host,
    );
    expect([outage.res.statusCode, outage.res.getHeader('retry-after')]).toEqual([503, '5']);
    const other = rawExchange();
    filter.catch(new Error('boom'), other.host);
    expect(other.res.statusCode).toBe(500);
    expect(other.body()).toMatchObject({
      status: 500,
      type: expect.stringContaining('internal-error'),
    });
  });
});
