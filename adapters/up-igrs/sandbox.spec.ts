import { PermanentError, RetryableError } from '../adapter';
import { CALL, failure, outbound, PERSON, personalDataIn, registered } from '../testing/fixtures';
import { useSandbox } from '../testing/sandbox-harness';
import { startUpIgrsSandbox } from './sandbox';
import { createUpIgrsAdapter } from './up-igrs.adapter';

const credential = { header: 'X-API-Key', value: 'up-key' };

describe('UP IGRS adapter against the UP IGRS sandbox (real HTTP)', () => {
  const portal = useSandbox(startUpIgrsSandbox, createUpIgrsAdapter, {
    kind: 'up-igrs',
    code: 'UP-IGRS',
    credential,
  });

  it('registers with a 14-digit complaint number carrying the district, which lookup then finds', async () => {
    const result = await portal.adapter.submit(outbound({ clientRef: 'disp_u1' }), CALL);
    const yy = String(new Date().getFullYear() % 100).padStart(2, '0');
    expect(result.externalRef).toMatch(new RegExp(`^400162${yy}\\d{6}$`));
    expect(await portal.adapter.lookup!('disp_u1', CALL)).toMatchObject({
      externalRef: result.externalRef,
    });
    expect(await portal.adapter.lookup!('disp_none', CALL)).toBeNull();
    expect(JSON.stringify(portal.sandbox.registrations()[0].body)).toContain(PERSON.mobile);
  });

  it('uses 0000 for the district when the grievance has none', async () => {
    const g = outbound({ location: { ...outbound().location, districtCode: null } });
    expect((await portal.adapter.submit(g, CALL)).externalRef).toMatch(/^400000\d{8}$/);
  });

  it('503 then ok', async () => {
    portal.sandbox.injectFaults({ next: ['http-503'] });
    expect(await failure(() => portal.adapter.submit(outbound(), CALL))).toBeInstanceOf(
      RetryableError,
    );
    await portal.adapter.submit(outbound(), CALL);
    expect(portal.sandbox.countByClientRef(outbound().clientRef)).toBe(1);
  });

  it('timeout after accept: ambiguous, registered once, found by lookup', async () => {
    portal.sandbox.injectFaults({ next: ['timeout-after-accept'], hangMs: 5_000 });
    const error = await failure(() =>
      portal.adapter.submit(outbound(), { ...CALL, timeoutMs: 200 }),
    );
    expect((error as RetryableError).details.ambiguous).toBe(true);
    expect(portal.sandbox.countByClientRef(outbound().clientRef)).toBe(1);
    expect(await portal.adapter.lookup!(outbound().clientRef, CALL)).not.toBeNull();
  });

  it('refuses a district outside UP, naming the field, without personal data in the error', async () => {
    const error = await failure(() =>
      portal.adapter.submit(
        outbound({ location: { ...outbound().location, districtCode: '490' } }),
        CALL,
      ),
    );
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).details.portalMessage).toBe(
      'janpadCode is not a district of Uttar Pradesh',
    );
    portal.sandbox.injectFaults({ next: ['http-400'] });
    const injected = await failure(() => portal.adapter.submit(outbound(), CALL));
    expect(
      personalDataIn(`${injected.message} ${(injected as PermanentError).details.portalMessage}`),
    ).toEqual([]);
  });

  it('takes reminders, and re-examination requests after disposal', async () => {
    const { externalRef } = await registered(portal.adapter, outbound(), CALL);
    await portal.adapter.sendReminder!(externalRef, CALL);
    portal.sandbox.recordStatus(externalRef, 'Nistarit', { remarks: 'Lights repaired' });
    const appeal = await portal.adapter.submitAppeal!(
      externalRef,
      'Only half the lights work.',
      CALL,
    );
    expect(appeal.externalRef).toBe(externalRef);
    expect(portal.adapter.mapStatus!(portal.sandbox.registrations()[0].nativeStatus)).toBe(
      'APPEALED',
    );
  });
});
