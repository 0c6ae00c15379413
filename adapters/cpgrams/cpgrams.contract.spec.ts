import {
  PermanentError,
  RetryableError,
  UnknownNativeStatusError,
  type PortalAdapter,
} from '../adapter';
import { mockPortal } from '../testing/contract-kit';
import {
  adapterFor,
  CALL,
  failure,
  methodsOf,
  netError,
  outbound,
  PERSON,
  personalDataIn,
} from '../testing/fixtures';
import { createCpgramsAdapter } from './cpgrams.adapter';

const BASE = 'https://cpgrams.test';
const create = (options: Record<string, unknown> = {}) =>
  adapterFor(createCpgramsAdapter, { kind: 'cpgrams', code: 'CPGRAMS', baseUrl: BASE, options });

describe('CPGRAMS adapter (contract)', () => {
  const api = mockPortal(BASE);
  let adapter: PortalAdapter;
  beforeEach(() => {
    adapter = create();
  });

  it('has lookup, pull, a status table, appeal and reminder', () => {
    expect(adapter.kind).toBe('cpgrams');
    expect(methodsOf(adapter)).toEqual([
      'lookup',
      'fetchUpdates',
      'mapStatus',
      'sendReminder',
      'submitAppeal',
    ]);
  });

  describe('submit', () => {
    it('posts the grievance with the ministry as organisation and returns the registration number', async () => {
      let sent: Record<string, unknown> = {};
      api()
        .post('/api/v1/grievances', (body) => ((sent = body), true))
        .reply(201, {
          registrationNumber: 'MORLY/E/2026/0001234',
          receivedAt: '2026-01-05T10:00:02Z',
        });
      const result = await adapter.submit(
        outbound({ ministryCode: 'MORLY', category: 'RAILWAYS' }),
        CALL,
      );
      expect(result).toEqual({
        externalRef: 'MORLY/E/2026/0001234',
        acceptedAt: '2026-01-05T10:00:02.000Z',
        raw: { registrationNumber: 'MORLY/E/2026/0001234', receivedAt: '2026-01-05T10:00:02Z' },
      });
      expect(sent).toEqual({
        clientReference: 'disp_01HZX4K8M2Q7',
        hubTrackingId: 'ONOP-7KQ2-M9XD-4TPA',
        organisationCode: 'MORLY',
        subject: 'Streetlights not working for 3 weeks',
        description: expect.stringContaining('Sector 12'),
        category: 'RAILWAYS',
        lodgedAt: '2026-01-05T10:00:00.000Z',
        complainant: {
          name: PERSON.name,
          mobile: PERSON.mobile,
          email: PERSON.email,
          preferredLanguage: 'hi',
        },
        address: { text: PERSON.address, pincode: '226010', stateCode: '09', districtCode: '162' },
      });
    });

    it.each([
      ['10', {}, 'GOVBR'],
      ['09', {}, 'GOVUP'],
      ['10', { stateOrgCodes: { '10': 'GOVBH' } }, 'GOVBH'],
    ])(
      'addresses a state grievance (state %s) to the state government organisation',
      async (stateCode, options, org) => {
        let sent: { organisationCode?: string } = {};
        api()
          .post('/api/v1/grievances', (body) => ((sent = body), true))
          .reply(201, { registrationNumber: `${org}/E/2026/0000001` });
        const g = outbound({ location: { ...outbound().location, stateCode } });
        await create(options).submit(g, CALL);
        expect(sent.organisationCode).toBe(org);
      },
    );

    it('refuses a grievance with neither ministry nor known state, without calling the portal', async () => {
      const g = outbound({ location: { ...outbound().location, stateCode: '99' } });
      const error = await failure(() => adapter.submit(g, CALL));
      expect(error).toBeInstanceOf(PermanentError);
      expect(error.message).toContain('state code 99');
    });

    it.each([
      [
        '503 with Retry-After',
        503,
        { 'Retry-After': '7' },
        { ambiguous: false, httpStatus: 503, retryAfterMs: 7000 },
      ],
      [
        '429 with Retry-After',
        429,
        { 'Retry-After': '2' },
        { ambiguous: false, httpStatus: 429, retryAfterMs: 2000 },
      ],
      ['500', 500, {}, { ambiguous: true, httpStatus: 500 }],
    ])('%s → RetryableError', async (_name, status, headers, details) => {
      api().post('/api/v1/grievances').reply(status, { error: 'X', message: 'busy' }, headers);
      const error = await failure(() => adapter.submit(outbound(), CALL));
      expect(error).toBeInstanceOf(RetryableError);
      expect((error as RetryableError).details).toEqual(details);
    });

    it('a timeout → ambiguous RetryableError (the portal may have registered it)', async () => {
      api()
        .post('/api/v1/grievances')
        .delay(500)
        .reply(201, { registrationNumber: 'X/E/2026/0000001' });
      const error = await failure(() => adapter.submit(outbound(), { ...CALL, timeoutMs: 50 }));
      expect(error).toBeInstanceOf(RetryableError);
      expect((error as RetryableError).details.ambiguous).toBe(true);
      expect(error.message).toMatch(/CPGRAMS submit: timed out/);
    });

    it('connection refused → RetryableError, not ambiguous', async () => {
      api().post('/api/v1/grievances').replyWithError(netError('ECONNREFUSED'));
      const error = await failure(() => adapter.submit(outbound(), CALL));
      expect((error as RetryableError).details).toEqual({ ambiguous: false });
    });

    it('a socket hang-up → ambiguous RetryableError', async () => {
      api().post('/api/v1/grievances').replyWithError(netError('ECONNRESET', 'socket hang up'));
      const error = await failure(() => adapter.submit(outbound(), CALL));
      expect((error as RetryableError).details).toEqual({ ambiguous: true });
    });

    it('400 → PermanentError with the portal message, and no personal data anywhere in the error', async () => {
      api()
        .post('/api/v1/grievances')
        .reply(400, {
          error: 'VALIDATION_FAILED',
          message: `complainant.mobile ${PERSON.mobile} is barred`,
        });
      const error = await failure(() => adapter.submit(outbound(), CALL));
      expect(error).toBeInstanceOf(PermanentError);
      expect((error as PermanentError).details.portalMessage).toBe(
        'complainant.mobile [redacted] is barred',
      );
      expect(
        personalDataIn(JSON.stringify({ m: error.message, d: (error as PermanentError).details })),
      ).toEqual([]);
    });

    it('a 201 without a registration number → ambiguous RetryableError', async () => {
      api().post('/api/v1/grievances').reply(201, { ok: true });
      const error = await failure(() => adapter.submit(outbound(), CALL));
      expect((error as RetryableError).details.ambiguous).toBe(true);
    });
  });

  describe('lookup', () => {
    it('finds a grievance by client reference', async () => {
      api().get('/api/v1/grievances').query({ clientReference: 'disp_1' }).reply(200, {
        registrationNumber: 'DARPG/E/2026/0000009',
        receivedAt: '2026-01-05T10:00:00Z',
        status: 'Received',
      });
      expect(await adapter.lookup!('disp_1', CALL)).toMatchObject({
        externalRef: 'DARPG/E/2026/0000009',
      });
    });

    it('404 → null', async () => {
      api()
        .get('/api/v1/grievances')
        .query({ clientReference: 'disp_2' })
        .reply(404, { message: 'No grievance' });
      expect(await adapter.lookup!('disp_2', CALL)).toBeNull();
    });

    it('503 → RetryableError', async () => {
      api().get('/api/v1/grievances').query(true).reply(503);
      expect(await failure(() => adapter.lookup!('disp_3', CALL))).toBeInstanceOf(RetryableError);
    });
  });

  describe('fetchUpdates', () => {
    const change = (id: number, status: string, extra: object = {}) => ({
      changeId: `CHG-${id}`,
      registrationNumber: 'DARPG/E/2026/0000009',
      status,
      changedAt: '2026-01-06T09:00:00Z',
      ...extra,
    });

    it('starts without a cursor and maps each change through the status table', async () => {
      api()
        .get('/api/v1/status-changes')
        .query({ limit: '100' })
        .reply(200, {
          changes: [
            change(1, 'Under Examination'),
            change(2, 'Case Disposed', { remarks: 'Refund credited' }),
          ],
          nextCursor: 'c2',
          hasMore: false,
        });
      const { events, next } = await adapter.fetchUpdates!(null, CALL);
      expect(next).toBe('c2');
      expect(events).toEqual([
        expect.objectContaining({
          eventId: 'CHG-1',
          status: 'IN_PROGRESS',
          nativeStatus: 'Under Examination',
        }),
        expect.objectContaining({
          eventId: 'CHG-2',
          status: 'RESOLVED',
          remarks: 'Refund credited',
          occurredAt: '2026-01-06T09:00:00.000Z',
        }),
      ]);
      expect(events[0].raw).toEqual(change(1, 'Under Examination'));
    });

    it('follows hasMore, and keeps the cursor when the portal sends none', async () => {
      api()
        .get('/api/v1/status-changes')
        .query({ since: 'c2', limit: '100' })
        .reply(200, {
          changes: [change(3, 'Transferred to other Ministry/State', { transferredTo: 'GOVUP' })],
          nextCursor: 'c3',
          hasMore: true,
        });
      api()
        .get('/api/v1/status-changes')
        .query({ since: 'c3', limit: '100' })
        .reply(200, { changes: [] });
      const { events, next } = await adapter.fetchUpdates!('c2', CALL);
      expect(events).toEqual([
        expect.objectContaining({ status: 'TRANSFERRED', transferredTo: 'GOVUP' }),
      ]);
      expect(next).toBe('c3');
    });

    it('an unknown native status is an error, never a guess', async () => {
      api()
        .get('/api/v1/status-changes')
        .query(true)
        .reply(200, { changes: [change(4, 'Parked')], nextCursor: 'c4' });
      const error = await failure(() => adapter.fetchUpdates!('c3', CALL));
      expect(error).toBeInstanceOf(UnknownNativeStatusError);
      expect(error.message).toBe('cpgrams: unknown native status "Parked"');
    });
  });

  it('sends reminders and appeals to the URL-encoded registration number', async () => {
    api().post('/api/v1/grievances/DARPG%2FE%2F2026%2F0000009/reminders', {}).reply(201, {});
    api()
      .post('/api/v1/grievances/DARPG%2FE%2F2026%2F0000009/appeal', {
        reason: 'The refund never arrived.',
      })
      .reply(201, { appealNumber: 'DARPG/E/A/2026/0000003', receivedAt: '2026-02-01T00:00:00Z' });
    await adapter.sendReminder!('DARPG/E/2026/0000009', CALL);
    const appeal = await adapter.submitAppeal!(
      'DARPG/E/2026/0000009',
      'The refund never arrived.',
      CALL,
    );
    expect(appeal.externalRef).toBe('DARPG/E/A/2026/0000003');
  });

  it('reports health without throwing', async () => {
    api().get('/health').reply(200, { status: 'UP' });
    api().get('/health').reply(503);
    expect(await adapter.healthCheck(CALL)).toEqual({ ok: true, detail: 'HTTP 200' });
    expect(await adapter.healthCheck(CALL)).toEqual({
      ok: false,
      detail: expect.stringContaining('HTTP 503'),
    });
  });

  it('rejects bad options, naming the portal and the option', () => {
    expect(() => create({ stateOrgCodes: { '9': 'govup' } })).toThrow(
      /Portal CPGRAMS \(kind cpgrams\): invalid options — options\.stateOrgCodes\.9: /,
    );
    expect(() => create({ pageSiz: 5 })).toThrow(/Portal CPGRAMS .*pageSiz/);
  });
});
