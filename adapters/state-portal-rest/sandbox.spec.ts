import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PermanentError, RetryableError } from '../adapter';
import { CALL, failure, outbound, registered } from '../testing/fixtures';
import { startWithAdapter, useSandbox } from '../testing/sandbox-harness';
import { AAPLE_SARKAR_OPTIONS, startAapleSarkarSandbox } from './sandbox';
import { createStatePortalRestAdapter } from './state-portal-rest.adapter';

const AAPLE_SARKAR = {
  kind: 'state-portal-rest',
  code: 'MH-AAPLESARKAR',
  credential: { header: 'X-API-Key', value: 'mh-key' },
  options: AAPLE_SARKAR_OPTIONS as unknown as Record<string, unknown>,
};
const pune = () =>
  outbound({
    location: {
      stateCode: '27',
      districtCode: '490',
      pincode: '411001',
      address: 'Shivajinagar, Pune',
    },
  });

describe('state-portal-rest adapter against the Aaple Sarkar sandbox (real HTTP)', () => {
  const portal = useSandbox(startAapleSarkarSandbox, createStatePortalRestAdapter, AAPLE_SARKAR);

  it('keeps numbering across a restart when given a serial file (npm start)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-serial-'));
    const serialFile = join(dir, 'MH.serial');
    const numberOnce = async (serialFloor?: number) => {
      const { sandbox, adapter } = await startWithAdapter(
        startAapleSarkarSandbox,
        createStatePortalRestAdapter,
        AAPLE_SARKAR,
        { serialFile, serialFloor },
      );
      const result = await adapter.submit({ ...pune(), clientRef: 'disp_r' }, CALL);
      await sandbox.close();
      return result.externalRef;
    };
    try {
      const first = await numberOnce();
      const second = await numberOnce();
      expect(first).toMatch(/\/000001$/);
      expect(second).toMatch(/\/000002$/);
      // Numbers the hub's database may already hold (another checkout's sandbox) are skipped.
      expect(await numberOnce(41)).toMatch(/\/000042$/);
      expect(await numberOnce(5)).toMatch(/\/000043$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('registers with an Aaple Sarkar number that lookup then finds', async () => {
    const result = await portal.adapter.submit({ ...pune(), clientRef: 'disp_m1' }, CALL);
    expect(result.externalRef).toMatch(/^MH\/\d{4}\/AS\/\d{6}$/);
    expect(await portal.adapter.lookup!('disp_m1', CALL)).toMatchObject({
      externalRef: result.externalRef,
    });
    expect(await portal.adapter.lookup!('disp_none', CALL)).toBeNull();
    expect(portal.sandbox.registrations()[0].body).toMatchObject({
      grievance: { departmentCode: 'UDD', districtLgdCode: '490' },
    });
  });

  it('503 then ok', async () => {
    portal.sandbox.injectFaults({ next: ['http-503'] });
    expect(await failure(() => portal.adapter.submit(pune(), CALL))).toBeInstanceOf(RetryableError);
    await portal.adapter.submit(pune(), CALL);
    expect(portal.sandbox.countByClientRef(pune().clientRef)).toBe(1);
  });

  it('timeout after accept: ambiguous, registered once, found by lookup', async () => {
    portal.sandbox.injectFaults({ next: ['timeout-after-accept'], hangMs: 5_000 });
    const error = await failure(() => portal.adapter.submit(pune(), { ...CALL, timeoutMs: 200 }));
    expect((error as RetryableError).details.ambiguous).toBe(true);
    expect(portal.sandbox.countByClientRef(pune().clientRef)).toBe(1);
    expect(await portal.adapter.lookup!(pune().clientRef, CALL)).not.toBeNull();
  });

  it('a bad field → PermanentError naming it', async () => {
    const error = await failure(() =>
      portal.adapter.submit({ ...pune(), location: { ...pune().location, pincode: '0110' } }, CALL),
    );
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).details.portalMessage).toBe(
      'grievance.pincode must be a 6-digit PIN code',
    );
  });

  it('takes reminders, and appeals only after disposal', async () => {
    const { externalRef } = await registered(portal.adapter, pune(), CALL);
    await portal.adapter.sendReminder!(externalRef, CALL);
    const early = await failure(() =>
      portal.adapter.submitAppeal!(externalRef, 'The lights are still off.', CALL),
    );
    expect(early).toMatchObject({
      details: { httpStatus: 409, portalMessage: 'Appeal can be filed only after disposal' },
    });
    portal.sandbox.recordStatus(externalRef, 'Disposed', { remarks: 'Repaired' });
    const appeal = await portal.adapter.submitAppeal!(
      externalRef,
      'The lights are still off.',
      CALL,
    );
    expect(appeal.externalRef).toBe(`${externalRef}/A1`);
    expect(portal.adapter.mapStatus!(portal.sandbox.registrations()[0].nativeStatus)).toBe(
      'APPEALED',
    );
  });
});

describe('the MH-AAPLESARKAR options block in README.md', () => {
  it('is exactly AAPLE_SARKAR_OPTIONS, so config/portals.yaml can be pasted from it', () => {
    const readme = readFileSync(join(__dirname, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## MH-AAPLESARKAR'));
    const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(parse(block ?? '').options).toEqual(AAPLE_SARKAR_OPTIONS);
  });
});
