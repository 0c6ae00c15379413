import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { bindRequestLogger, HubLogger } from './hub-logger';
import { createHttpLogger } from './logging';
import type { LogFormat } from '../config/hub-config';
import { waitFor } from '../../../test/support/wait';

function capture(format: LogFormat) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const http = createHttpLogger({ level: 'info', format, stream });
  return { http, logger: new HubLogger(http.logger), lines };
}

const citizen = { complainant: { name: 'Asha Verma', mobile: '9876543210' }, portal: 'UP-IGRS' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('logging', () => {
  it('writes one JSON object per line, personal data redacted', () => {
    const { logger, lines } = capture('json');
    logger.warn(citizen, 'Push refused', 'Inbound');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({
        level: 40,
        msg: 'Push refused',
        context: 'Inbound',
        portal: 'UP-IGRS',
        complainant: '[redacted]',
      }),
    ]);
  });

  it('writes a line a person reads in the pretty format, with the same redaction', async () => {
    const { logger, lines } = capture('pretty');
    logger.warn(citizen, 'Push refused', 'Inbound');
    await waitFor(() => lines.length > 0);
    expect(lines).toHaveLength(1);
    expect(() => JSON.parse(lines[0])).toThrow();
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: \[Inbound\] Push refused \{/);
    expect(lines[0]).toContain('"portal":"UP-IGRS"');
    expect(lines[0]).toContain('"complainant":"[redacted]"');
    expect(lines[0]).not.toMatch(/Asha|9876543210/);
  });

  it('puts an Error under err and a plain message under msg', () => {
    const { logger, lines } = capture('json');
    logger.error(new Error('boom'), 'Http');
    logger.log('Hub started', 'Main');
    const [error, info] = lines.map((l) => JSON.parse(l));
    expect(error).toMatchObject({ level: 50, context: 'Http', err: { message: 'boom' } });
    expect(info).toMatchObject({ level: 30, context: 'Main', msg: 'Hub started' });
  });

  it("logs inside a request with the hub's request id and the client's beside it", () => {
    const { http, logger, lines } = capture('json');
    const req = {
      method: 'GET',
      url: '/api/v1/categories?q=secret',
      headers: { 'x-request-id': 'req-12345678' },
      socket: {},
    } as unknown as IncomingMessage;
    const res = { setHeader: () => undefined, on: () => undefined } as unknown as ServerResponse;
    http(req, res, () =>
      bindRequestLogger(req, res, () => logger.log({ portal: 'CPGRAMS' }, 'Looked up', 'Test')),
    );
    expect(JSON.parse(lines[0])).toMatchObject({
      msg: 'Looked up',
      req: { id: expect.stringMatching(UUID), method: 'GET', path: '/api/v1/categories' },
      clientRequestId: 'req-12345678',
    });
  });

  it('adds no clientRequestId when the client sent none or a malformed one', () => {
    const { http, logger, lines } = capture('json');
    for (const headers of [{}, { 'x-request-id': 'short' }]) {
      const req = { method: 'GET', url: '/api/v1/categories', headers, socket: {} };
      const res = { setHeader: () => undefined, on: () => undefined };
      http(req as unknown as IncomingMessage, res as unknown as ServerResponse, () =>
        bindRequestLogger(req as unknown as IncomingMessage, res as unknown as ServerResponse, () =>
          logger.log('Looked up', 'Test'),
        ),
      );
    }
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const entry = JSON.parse(line);
      expect(entry.req).toMatchObject({ id: expect.stringMatching(UUID) });
      expect(entry).not.toHaveProperty('clientRequestId');
    }
  });

  it('makes one child logger per request, a second only for a client id to add', () => {
    const { http, lines } = capture('json');
    const child = jest.spyOn(http.logger, 'child');
    const childrenFor = (headers: Record<string, string>) => {
      child.mockClear();
      const req = { method: 'POST', url: '/api/v1/complaints', headers, socket: {} };
      const res = { setHeader: () => undefined, on: () => undefined };
      http(req as unknown as IncomingMessage, res as unknown as ServerResponse);
      return child.mock.calls.length;
    };
    expect(childrenFor({})).toBe(1);
    expect(childrenFor({ 'x-request-id': 'req-12345678' })).toBe(2);
    expect(lines).toEqual([]);
  });
});
