import { PermanentError, RetryableError, type PortalAdapter } from '../adapter';
import type { SandboxPortal } from '../sandbox-kit';
import {
  CALL,
  failure,
  outbound,
  personalDataIn,
  plainDeps,
  portalInstance,
} from '../testing/fixtures';
import { createCpgramsAdapter } from './cpgrams.adapter';
import { startCpgramsSandbox } from './sandbox';

const credential = { header: 'X-API-Key', value: 'sandbox-key' };

describe('CPGRAMS adapter against the CPGRAMS sandbox (real HTTP)', () => {
  let sandbox: SandboxPortal;
  let adapter: PortalAdapter;

  beforeAll(async () => {
    sandbox = await startCpgramsSandbox({ port: 0, credential });
    adapter = createCpgramsAdapter(
      portalInstance({ kind: 'cpgrams', code: 'CPGRAMS', baseUrl: sandbox.url, credential }),
      plainDeps(),
    );
  });
  afterEach(() => sandbox.reset());
  afterAll(() => sandbox.close());

  it('registers with a CPGRAMS registration number that lookup then finds', async () => {
    const g = outbound({ ministryCode: 'MORLY', clientRef: 'disp_a' });
    const result = await adapter.submit(g, CALL);
    expect(result.externalRef).toMatch(new RegExp(`^MORLY/E/${new Date().getFullYear()}/\\d{7}$`));
    expect(await adapter.lookup!('disp_a', CALL)).toMatchObject({
      externalRef: result.externalRef,
    });
    expect(await adapter.lookup!('disp_unknown', CALL)).toBeNull();
    expect(sandbox.registrations()).toEqual([
      expect.objectContaining({ clientRef: 'disp_a', externalRef: result.externalRef }),
    ]);
  });

  it('503 then ok: a retryable failure, then one registration', async () => {
    sandbox.injectFaults({ next: ['http-503'] });
    const error = await failure(() => adapter.submit(outbound({ clientRef: 'disp_b' }), CALL));
    expect((error as RetryableError).details).toMatchObject({ ambiguous: false, httpStatus: 503 });
    await adapter.submit(outbound({ clientRef: 'disp_b' }), CALL);
    expect(sandbox.countByClientRef('disp_b')).toBe(1);
  });

  it('timeout after accept: ambiguous failure, registered once, found by lookup', async () => {
    sandbox.injectFaults({ next: ['timeout-after-accept'], hangMs: 5_000 });
    const error = await failure(() =>
      adapter.submit(outbound({ clientRef: 'disp_c' }), { ...CALL, timeoutMs: 200 }),
    );
    expect((error as RetryableError).details.ambiguous).toBe(true);
    expect(sandbox.countByClientRef('disp_c')).toBe(1);
    expect(await adapter.lookup!('disp_c', CALL)).toMatchObject({
      externalRef: sandbox.registrations()[0].externalRef,
    });
  });

  it('a missing field → PermanentError naming the field; an injected 400 carries no personal data', async () => {
    const noMobile = outbound({ complainant: { ...outbound().complainant, mobile: '' } });
    const missing = await failure(() => adapter.submit(noMobile, CALL));
    expect(missing).toBeInstanceOf(PermanentError);
    expect((missing as PermanentError).details.portalMessage).toBe(
      'complainant.mobile is required',
    );
    sandbox.injectFaults({ next: ['http-400'] });
    const injected = await failure(() => adapter.submit(outbound(), CALL));
    expect((injected as PermanentError).details.httpStatus).toBe(400);
    expect(personalDataIn(injected.message)).toEqual([]);
    expect(sandbox.registrations()).toEqual([]);
  });

  it('a wrong credential → PermanentError 401', async () => {
    const wrong = createCpgramsAdapter(
      portalInstance({
        kind: 'cpgrams',
        baseUrl: sandbox.url,
        credential: { ...credential, value: 'nope' },
      }),
      plainDeps(),
    );
    expect((await failure(() => wrong.submit(outbound(), CALL))) as PermanentError).toMatchObject({
      details: { httpStatus: 401 },
    });
  });

  it('serves status changes through a cursor, then reminders and appeals', async () => {
    const { externalRef } = await adapter.submit(outbound({ ministryCode: 'DEPOST' }), CALL);
    sandbox.recordStatus(externalRef, 'Under Examination');
    sandbox.recordStatus(externalRef, 'Case Disposed', { remarks: 'Parcel delivered' });
    const first = await adapter.fetchUpdates!(null, CALL);
    expect(first.events.map((e) => [e.status, e.externalRef])).toEqual([
      ['IN_PROGRESS', externalRef],
      ['RESOLVED', externalRef],
    ]);
    expect(await adapter.fetchUpdates!(first.next, CALL)).toEqual({ events: [], next: first.next });

    await adapter.sendReminder!(externalRef, CALL);
    const appeal = await adapter.submitAppeal!(
      externalRef,
      'The parcel was never delivered to me.',
      CALL,
    );
    expect(appeal.externalRef).toMatch(/^DEPOST\/E\/A\/\d{4}\/\d{7}$/);
    const after = await adapter.fetchUpdates!(first.next, CALL);
    expect(after.events).toEqual([
      expect.objectContaining({ status: 'APPEALED', nativeStatus: 'Appeal Received' }),
    ]);
    expect(sandbox.registrations()[0]).toMatchObject({
      reminders: [expect.any(String)],
      nativeStatus: 'Appeal Received',
    });
  });

  it('reports health, and not ok when the portal is down', async () => {
    expect((await adapter.healthCheck(CALL)).ok).toBe(true);
    sandbox.injectFaults({ down: true });
    expect(await adapter.healthCheck(CALL)).toEqual({
      ok: false,
      detail: expect.stringContaining('503'),
    });
  });
});
