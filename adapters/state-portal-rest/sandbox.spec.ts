import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PermanentError, RetryableError, type PortalAdapter } from '../adapter';
import type { SandboxPortal } from '../sandbox-kit';
import { CALL, failure, outbound, plainDeps, portalInstance } from '../testing/fixtures';
import { AAPLE_SARKAR_OPTIONS, startAapleSarkarSandbox } from './sandbox';
import { createStatePortalRestAdapter } from './state-portal-rest.adapter';

const credential = { header: 'X-API-Key', value: 'mh-key' };
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
  let sandbox: SandboxPortal;
  let adapter: PortalAdapter;

  beforeAll(async () => {
    sandbox = await startAapleSarkarSandbox({ credential });
    const options = AAPLE_SARKAR_OPTIONS as unknown as Record<string, unknown>;
    const portal = portalInstance({
      kind: 'state-portal-rest',
      code: 'MH-AAPLESARKAR',
      baseUrl: sandbox.url,
      credential,
      options,
    });
    adapter = createStatePortalRestAdapter(portal, plainDeps());
  });
  afterEach(() => sandbox.reset());
  afterAll(() => sandbox.close());

  it('keeps numbering across a restart when given a serial file (npm start)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-serial-'));
    const serialFile = join(dir, 'MH.serial');
    const numberOnce = async (serialFloor?: number) => {
      const portal = await startAapleSarkarSandbox({ credential, serialFile, serialFloor });
      const options = AAPLE_SARKAR_OPTIONS as unknown as Record<string, unknown>;
      const instance = portalInstance({
        kind: 'state-portal-rest',
        code: 'MH-AAPLESARKAR',
        baseUrl: portal.url,
        credential,
        options,
      });
      const result = await createStatePortalRestAdapter(instance, plainDeps()).submit(
        { ...pune(), clientRef: 'disp_r' },
        CALL,
      );
      await portal.close();
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
    const result = await adapter.submit({ ...pune(), clientRef: 'disp_m1' }, CALL);
    expect(result.externalRef).toMatch(/^MH\/\d{4}\/AS\/\d{6}$/);
    expect(await adapter.lookup!('disp_m1', CALL)).toMatchObject({
      externalRef: result.externalRef,
    });
    expect(await adapter.lookup!('disp_none', CALL)).toBeNull();
    expect(sandbox.registrations()[0].body).toMatchObject({
      grievance: { departmentCode: 'UDD', districtLgdCode: '490' },
    });
  });

  it('503 then ok', async () => {
    sandbox.injectFaults({ next: ['http-503'] });
    expect(await failure(() => adapter.submit(pune(), CALL))).toBeInstanceOf(RetryableError);
    await adapter.submit(pune(), CALL);
    expect(sandbox.countByClientRef(pune().clientRef)).toBe(1);
  });

  it('timeout after accept: ambiguous, registered once, found by lookup', async () => {
    sandbox.injectFaults({ next: ['timeout-after-accept'], hangMs: 5_000 });
    const error = await failure(() => adapter.submit(pune(), { ...CALL, timeoutMs: 200 }));
    expect((error as RetryableError).details.ambiguous).toBe(true);
    expect(sandbox.countByClientRef(pune().clientRef)).toBe(1);
    expect(await adapter.lookup!(pune().clientRef, CALL)).not.toBeNull();
  });

  it('a bad field → PermanentError naming it', async () => {
    const error = await failure(() =>
      adapter.submit({ ...pune(), location: { ...pune().location, pincode: '0110' } }, CALL),
    );
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).details.portalMessage).toBe(
      'grievance.pincode must be a 6-digit PIN code',
    );
  });

  it('takes reminders, and appeals only after disposal', async () => {
    const { externalRef } = await adapter.submit(pune(), CALL);
    await adapter.sendReminder!(externalRef, CALL);
    const early = await failure(() =>
      adapter.submitAppeal!(externalRef, 'The lights are still off.', CALL),
    );
    expect(early).toMatchObject({
      details: { httpStatus: 409, portalMessage: 'Appeal can be filed only after disposal' },
    });
    sandbox.recordStatus(externalRef, 'Disposed', { remarks: 'Repaired' });
    const appeal = await adapter.submitAppeal!(externalRef, 'The lights are still off.', CALL);
    expect(appeal.externalRef).toBe(`${externalRef}/A1`);
    expect(adapter.mapStatus!(sandbox.registrations()[0].nativeStatus)).toBe('APPEALED');
  });
});

describe('the MH-AAPLESARKAR options block in README.md', () => {
  it('is exactly AAPLE_SARKAR_OPTIONS, so config/portals.yaml can be pasted from it', () => {
    const readme = readFileSync(join(__dirname, 'README.md'), 'utf8');
    const block = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(parse(block ?? '').options).toEqual(AAPLE_SARKAR_OPTIONS);
  });
});
