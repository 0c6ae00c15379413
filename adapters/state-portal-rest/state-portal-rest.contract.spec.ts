import type nock from 'nock';
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
import { AAPLE_SARKAR_OPTIONS } from './sandbox';
import { createStatePortalRestAdapter } from './state-portal-rest.adapter';

const BASE = 'https://aaplesarkar.test/gateway';
const options = (over: Record<string, unknown> = {}) => ({
  ...structuredClone(AAPLE_SARKAR_OPTIONS),
  ...over,
});
const create = (over: Record<string, unknown> = {}) =>
  adapterFor(createStatePortalRestAdapter, {
    kind: 'state-portal-rest',
    code: 'MH-AAPLESARKAR',
    baseUrl: BASE,
    options: options(over),
  });
const SUBMIT = '/gateway/api/v1/grievance/register';
const registered = {
  status: 'SUCCESS',
  data: { grievanceId: 'MH/2026/AS/000123', registeredOn: '2026-01-05T10:00:03Z' },
};

describe('state-portal-rest adapter (contract, configured as Aaple Sarkar)', () => {
  // nock matches on the origin; the /gateway prefix is part of each mocked path.
  const api = mockPortal('https://aaplesarkar.test');
  let adapter: PortalAdapter;
  beforeEach(() => {
    adapter = create();
  });

  it('submits the body its fieldMap describes and reads the reference where referenceField says', async () => {
    let sent: unknown;
    api()
      .post(SUBMIT, (body) => ((sent = body), true))
      .reply(200, registered);
    const g = outbound({
      location: {
        stateCode: '27',
        districtCode: '490',
        pincode: '411001',
        address: PERSON.address,
      },
    });
    const result = await adapter.submit(g, CALL);
    expect(result).toEqual({
      externalRef: 'MH/2026/AS/000123',
      acceptedAt: '2026-01-05T10:00:03.000Z',
      raw: registered,
    });
    expect(sent).toEqual({
      sourceSystem: 'ONOP-HUB',
      externalRefNo: g.clientRef,
      applicant: {
        fullName: PERSON.name,
        mobileNo: PERSON.mobile,
        emailId: PERSON.email,
        language: 'hi',
      },
      grievance: {
        subject: g.subject,
        details: g.description,
        departmentCode: 'UDD',
        districtLgdCode: '490',
        pincode: '411001',
        address: PERSON.address,
        onopTrackingId: g.trackingId,
      },
    });
  });

  it('sends a category missing from the map to the default department, or refuses it without one', async () => {
    let sent: { grievance?: { departmentCode?: string } } = {};
    api()
      .post(SUBMIT, (body) => ((sent = body), true))
      .reply(200, registered);
    await adapter.submit(outbound({ category: 'RAILWAYS' }), CALL);
    expect(sent.grievance?.departmentCode).toBe('GAD');
    const strict = create({ defaultCategory: undefined });
    const error = await failure(() => strict.submit(outbound({ category: 'RAILWAYS' }), CALL));
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).details.portalMessage).toBe(
      'no portal category for hub category RAILWAYS',
    );
  });

  it.each([
    [
      '503 + Retry-After',
      (s: nock.Interceptor) => s.reply(503, { status: 'FAILURE' }, { 'Retry-After': '30' }),
      RetryableError,
      { ambiguous: false, httpStatus: 503, retryAfterMs: 30_000 },
    ],
    [
      '429',
      (s: nock.Interceptor) => s.reply(429, {}, { 'Retry-After': '1' }),
      RetryableError,
      { ambiguous: false, httpStatus: 429, retryAfterMs: 1000 },
    ],
    [
      '500',
      (s: nock.Interceptor) => s.reply(500),
      RetryableError,
      { ambiguous: true, httpStatus: 500 },
    ],
    [
      'ECONNREFUSED',
      (s: nock.Interceptor) => s.replyWithError(netError('ECONNREFUSED')),
      RetryableError,
      { ambiguous: false },
    ],
    [
      '400',
      (s: nock.Interceptor) =>
        s.reply(400, { status: 'FAILURE', message: 'grievance.pincode is invalid' }),
      PermanentError,
      { portalMessage: 'grievance.pincode is invalid', httpStatus: 400 },
    ],
  ])('%s is classified', async (_name, respond, type, details) => {
    respond(api().post(SUBMIT));
    const error = await failure(() => adapter.submit(outbound(), CALL));
    expect(error).toBeInstanceOf(type);
    expect((error as RetryableError | PermanentError).details).toEqual(details);
    expect(personalDataIn(error.message)).toEqual([]);
  });

  it('a timeout → ambiguous RetryableError', async () => {
    api().post(SUBMIT).delay(400).reply(200, registered);
    const error = await failure(() => adapter.submit(outbound(), { ...CALL, timeoutMs: 40 }));
    expect((error as RetryableError).details.ambiguous).toBe(true);
  });

  it('a 2xx without the reference field → ambiguous RetryableError', async () => {
    api().post(SUBMIT).reply(200, { status: 'SUCCESS', data: {} });
    const error = await failure(() => adapter.submit(outbound(), CALL));
    expect(error.message).toBe('MH-AAPLESARKAR submit: response without data.grievanceId');
    expect((error as RetryableError).details.ambiguous).toBe(true);
  });

  it('looks a grievance up through lookupPath, URL-encoding the client reference; 404 → null', async () => {
    api()
      .get('/gateway/api/v1/grievance/status')
      .query({ externalRefNo: 'disp/1 x' })
      .reply(200, registered);
    api()
      .get('/gateway/api/v1/grievance/status')
      .query({ externalRefNo: 'disp_2' })
      .reply(404, { status: 'FAILURE' });
    expect(await adapter.lookup!('disp/1 x', CALL)).toMatchObject({
      externalRef: 'MH/2026/AS/000123',
    });
    expect(await adapter.lookup!('disp_2', CALL)).toBeNull();
  });

  it('reminds and appeals at the configured paths, with the configured reason field', async () => {
    api()
      .post('/gateway/api/v1/grievance/MH%2F2026%2FAS%2F000123/reminder')
      .reply(200, { status: 'SUCCESS' });
    api()
      .post('/gateway/api/v1/grievance/MH%2F2026%2FAS%2F000123/appeal', {
        appealReason: 'Lights are still off.',
      })
      .reply(200, { status: 'SUCCESS', data: { appealId: 'MH/2026/AS/000123/A1' } });
    await adapter.sendReminder!('MH/2026/AS/000123', CALL);
    expect(
      await adapter.submitAppeal!('MH/2026/AS/000123', 'Lights are still off.', CALL),
    ).toMatchObject({
      externalRef: 'MH/2026/AS/000123/A1',
    });
  });

  it('pulls updates from updatesPath in the hub format by default, keeping the cursor', async () => {
    const pull = create({ updatesPath: '/api/v1/updates' });
    expect(methodsOf(pull)).toContain('fetchUpdates');
    const event = {
      eventId: 'e1',
      externalRef: 'MH/2026/AS/000123',
      status: 'Disposed',
      occurredAt: '2026-01-09T00:00:00Z',
      remarks: 'Repaired',
    };
    api()
      .get('/gateway/api/v1/updates')
      .reply(200, { events: [event], next: 'n1' });
    api().get('/gateway/api/v1/updates').query({ since: 'n1' }).reply(200, { events: [] });
    expect(await pull.fetchUpdates!(null, CALL)).toEqual({
      events: [
        {
          ...event,
          status: 'RESOLVED',
          nativeStatus: 'Disposed',
          occurredAt: '2026-01-09T00:00:00.000Z',
          raw: event,
        },
      ],
      next: 'n1',
    });
    expect(await pull.fetchUpdates!('n1', CALL)).toEqual({ events: [], next: 'n1' });
  });

  describe('status map (from options)', () => {
    it.each(Object.entries(AAPLE_SARKAR_OPTIONS.statusMap))('"%s" → %s', (native, canonical) => {
      expect(adapter.mapStatus!(native)).toBe(canonical);
    });

    it('an unknown native status → UnknownNativeStatusError', () => {
      expect(() => adapter.mapStatus!('Kept in Abeyance')).toThrow(UnknownNativeStatusError);
    });
  });
});
