import { PermanentError, RetryableError } from '../adapter';
import {
  adapterFor,
  CALL,
  failure,
  outbound,
  personalDataIn,
  registered,
} from '../testing/fixtures';
import { useSandbox } from '../testing/sandbox-harness';
import { createCpgramsAdapter } from './cpgrams.adapter';
import { startCpgramsSandbox } from './sandbox';

const credential = { header: 'X-API-Key', value: 'sandbox-key' };

describe('CPGRAMS adapter against the CPGRAMS sandbox (real HTTP)', () => {
  const portal = useSandbox(startCpgramsSandbox, createCpgramsAdapter, {
    kind: 'cpgrams',
    code: 'CPGRAMS',
    credential,
  });

  it('registers with a CPGRAMS registration number that lookup then finds', async () => {
    const g = outbound({ ministryCode: 'MORLY', clientRef: 'disp_a' });
    const result = await portal.adapter.submit(g, CALL);
    expect(result.externalRef).toMatch(new RegExp(`^MORLY/E/${new Date().getFullYear()}/\\d{7}$`));
    expect(await portal.adapter.lookup!('disp_a', CALL)).toMatchObject({
      externalRef: result.externalRef,
    });
    expect(await portal.adapter.lookup!('disp_unknown', CALL)).toBeNull();
    expect(portal.sandbox.registrations()).toEqual([
      expect.objectContaining({ clientRef: 'disp_a', externalRef: result.externalRef }),
    ]);
  });

  it('503 then ok: a retryable failure, then one registration', async () => {
    portal.sandbox.injectFaults({ next: ['http-503'] });
    const error = await failure(() =>
      portal.adapter.submit(outbound({ clientRef: 'disp_b' }), CALL),
    );
    expect((error as RetryableError).details).toMatchObject({ ambiguous: false, httpStatus: 503 });
    await portal.adapter.submit(outbound({ clientRef: 'disp_b' }), CALL);
    expect(portal.sandbox.countByClientRef('disp_b')).toBe(1);
  });

  it('timeout after accept: ambiguous failure, registered once, found by lookup', async () => {
    portal.sandbox.injectFaults({ next: ['timeout-after-accept'], hangMs: 5_000 });
    const error = await failure(() =>
      portal.adapter.submit(outbound({ clientRef: 'disp_c' }), { ...CALL, timeoutMs: 200 }),
    );
    expect((error as RetryableError).details.ambiguous).toBe(true);
    expect(portal.sandbox.countByClientRef('disp_c')).toBe(1);
    expect(await portal.adapter.lookup!('disp_c', CALL)).toMatchObject({
      externalRef: portal.sandbox.registrations()[0].externalRef,
    });
  });

  it('a missing field → PermanentError naming the field; an injected 400 carries no personal data', async () => {
    const noMobile = outbound({ complainant: { ...outbound().complainant, mobile: '' } });
    const missing = await failure(() => portal.adapter.submit(noMobile, CALL));
    expect(missing).toBeInstanceOf(PermanentError);
    expect((missing as PermanentError).details.portalMessage).toBe(
      'complainant.mobile is required',
    );
    portal.sandbox.injectFaults({ next: ['http-400'] });
    const injected = await failure(() => portal.adapter.submit(outbound(), CALL));
    expect((injected as PermanentError).details.httpStatus).toBe(400);
    expect(personalDataIn(injected.message)).toEqual([]);
    expect(portal.sandbox.registrations()).toEqual([]);
  });

  it('a wrong credential → PermanentError 401', async () => {
    const wrong = adapterFor(createCpgramsAdapter, {
      kind: 'cpgrams',
      baseUrl: portal.sandbox.url,
      credential: { ...credential, value: 'nope' },
    });
    expect((await failure(() => wrong.submit(outbound(), CALL))) as PermanentError).toMatchObject({
      details: { httpStatus: 401 },
    });
  });

  it('serves status changes through a cursor, then reminders and appeals', async () => {
    const { externalRef } = await registered(
      portal.adapter,
      outbound({ ministryCode: 'DEPOST' }),
      CALL,
    );
    portal.sandbox.recordStatus(externalRef, 'Under Examination');
    portal.sandbox.recordStatus(externalRef, 'Case Disposed', { remarks: 'Parcel delivered' });
    const first = await portal.adapter.fetchUpdates!(null, CALL);
    expect(first.events.map((e) => [e.status, e.externalRef])).toEqual([
      ['IN_PROGRESS', externalRef],
      ['RESOLVED', externalRef],
    ]);
    expect(await portal.adapter.fetchUpdates!(first.next, CALL)).toEqual({
      events: [],
      next: first.next,
    });

    await portal.adapter.sendReminder!(externalRef, CALL);
    const appeal = await portal.adapter.submitAppeal!(
      externalRef,
      'The parcel was never delivered to me.',
      CALL,
    );
    expect(appeal.externalRef).toMatch(/^DEPOST\/E\/A\/\d{4}\/\d{7}$/);
    const after = await portal.adapter.fetchUpdates!(first.next, CALL);
    expect(after.events).toEqual([
      expect.objectContaining({ status: 'APPEALED', nativeStatus: 'Appeal Received' }),
    ]);
    expect(portal.sandbox.registrations()[0]).toMatchObject({
      reminders: [expect.any(String)],
      nativeStatus: 'Appeal Received',
    });
  });

  it('reports health, and not ok when the portal is down', async () => {
    expect((await portal.adapter.healthCheck(CALL)).ok).toBe(true);
    portal.sandbox.injectFaults({ down: true });
    expect(await portal.adapter.healthCheck(CALL)).toEqual({
      ok: false,
      detail: expect.stringContaining('503'),
    });
  });
});
