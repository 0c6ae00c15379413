import { PermanentError, RetryableError, UnknownNativeStatusError } from '../adapter';
import { mockPortal } from '../testing/contract-kit';
import {
  adapterFor,
  CALL,
  failure,
  methodsOf,
  outbound,
  PERSON,
  personalDataIn,
} from '../testing/fixtures';
import { createUpIgrsAdapter } from './up-igrs.adapter';
import { UP_IGRS_STATUS_TABLE } from './up-igrs.presets';

const BASE = 'https://igrs.test';
const create = (options: Record<string, unknown> = {}) =>
  adapterFor(createUpIgrsAdapter, { kind: 'up-igrs', code: 'UP-IGRS', baseUrl: BASE, options });
const SUBMIT = '/igrs/api/v1/complaints';
const accepted = {
  success: true,
  shikayatSankhya: '40016226000123',
  panjikaranDinank: '2026-01-05T10:00:04Z',
};

describe('UP IGRS adapter (contract)', () => {
  const api = mockPortal(BASE);

  it('works from presets alone (options: {}) and has lookup, a status table, appeal and reminder', () => {
    const adapter = create();
    expect(adapter.kind).toBe('up-igrs');
    expect(methodsOf(adapter)).toEqual(['lookup', 'mapStatus', 'sendReminder', 'submitAppeal']);
  });

  it('submits in UP field names and keeps the 14-digit complaint number as written', async () => {
    let sent: unknown;
    api()
      .post(SUBMIT, (body) => ((sent = body), true))
      .reply(201, accepted);
    const result = await create().submit(outbound(), CALL);
    expect(result).toEqual({
      externalRef: '40016226000123',
      acceptedAt: '2026-01-05T10:00:04.000Z',
      raw: accepted,
    });
    expect(sent).toEqual({
      srot: 'ONOP_HUB',
      bahyaSandarbhSankhya: 'disp_01HZX4K8M2Q7',
      onopTrackingId: 'ONOP-7KQ2-M9XD-4TPA',
      shikayatkarta: {
        naam: PERSON.name,
        mobileNo: PERSON.mobile,
        email: PERSON.email,
        pata: PERSON.address,
        pincode: '226010',
      },
      bhasha: 'hi',
      janpadCode: '162',
      vibhagCode: 'NAGAR_VIKAS',
      vishay: 'Streetlights not working for 3 weeks',
      shikayatVivran: expect.stringContaining('Sector 12'),
    });
  });

  it('merges config options over the presets; null removes a preset entry', async () => {
    const adapter = create({
      fieldMap: { onopTrackingId: null, 'shikayatkarta.jila': 'location.districtCode' },
      statusMap: { 'Adhikari Star Par Lambit': 'IN_PROGRESS' },
      reminderPath: null,
    });
    expect(adapter.mapStatus!('Adhikari Star Par Lambit')).toBe('IN_PROGRESS');
    expect(adapter.mapStatus!('Nistarit')).toBe('RESOLVED');
    expect(adapter.sendReminder).toBeUndefined();
    let sent: Record<string, unknown> = {};
    api()
      .post(SUBMIT, (body) => ((sent = body), true))
      .reply(201, accepted);
    await adapter.submit(outbound(), CALL);
    expect(sent.onopTrackingId).toBeUndefined();
    expect(sent.shikayatkarta).toMatchObject({ jila: '162' });
  });

  it('names the portal and option when an override is bad', () => {
    expect(() => create({ statusMap: { Nistarit: 'FINISHED' } })).toThrow(
      /^Portal UP-IGRS \(kind up-igrs\): invalid options — options\.statusMap\.Nistarit: /,
    );
  });

  it.each([
    [503, RetryableError, false],
    [500, RetryableError, true],
    [400, PermanentError, undefined],
  ])('HTTP %i → %p', async (status, type, ambiguous) => {
    api()
      .post(SUBMIT)
      .reply(status, {
        success: false,
        errorCode: 'E',
        message: `mobileNo ${PERSON.mobile} galat hai`,
      });
    const error = await failure(() => create().submit(outbound(), CALL));
    expect(error).toBeInstanceOf(type);
    if (ambiguous !== undefined)
      expect((error as RetryableError).details.ambiguous).toBe(ambiguous);
    expect(personalDataIn(error.message)).toEqual([]);
  });

  it('looks up by client reference in the path; 404 → null', async () => {
    api().get('/igrs/api/v1/complaints/by-reference/disp_1').reply(200, accepted);
    api()
      .get('/igrs/api/v1/complaints/by-reference/disp_2')
      .reply(404, { success: false, message: 'nahi mili' });
    expect(await create().lookup!('disp_1', CALL)).toMatchObject({ externalRef: '40016226000123' });
    expect(await create().lookup!('disp_2', CALL)).toBeNull();
  });

  it('asks for re-examination as the appeal, under the same complaint number', async () => {
    api()
      .post('/igrs/api/v1/complaints/40016226000123/reopen-request', {
        karan: 'Work not done on the ground.',
      })
      .reply(201, accepted);
    const result = await create().submitAppeal!(
      '40016226000123',
      'Work not done on the ground.',
      CALL,
    );
    expect(result.externalRef).toBe('40016226000123');
  });

  describe('status table', () => {
    it.each(Object.entries(UP_IGRS_STATUS_TABLE))('"%s" → %s', (native, canonical) => {
      expect(create().mapStatus!(native)).toBe(canonical);
    });

    it.each(['Not Pertaining', 'Sambandhit Nahi'])(
      '"%s" is a transfer, never a closure',
      (native) => {
        expect(create().mapStatus!(native)).toBe('TRANSFERRED');
      },
    );

    it('an unknown native status → UnknownNativeStatusError', () => {
      expect(() => create().mapStatus!('Aakhya Apekshit')).toThrow(UnknownNativeStatusError);
    });
  });
});
