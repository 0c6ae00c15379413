// The contract every adapter keeps, run by each kind's `<kind>.conformance.spec.ts` against its
// sandbox over real HTTP: submit, lookup, ambiguous failures, errors, status mapping, health.
// Test-only: the build leaves adapters/testing out.
import {
  PermanentError,
  RetryableError,
  UnknownNativeStatusError,
  type AdapterFactory,
  type CanonicalStatus,
  type OutboundGrievance,
} from '../adapter';
import { adapterFor, CALL, failure, outbound, personalDataIn, registered } from './fixtures';
import { useSandbox, type SandboxedPortalSpec, type SandboxStarter } from './sandbox-harness';

export interface ConformanceSpec {
  start: SandboxStarter;
  create: AdapterFactory;
  portal: SandboxedPortalSpec;
  /** A grievance this portal accepts; defaults to the shared fixture. */
  grievance?: (overrides: Partial<OutboundGrievance>) => OutboundGrievance;
  /** Native statuses with the canonical status each must become (a sample of the table). */
  statuses: Record<string, CanonicalStatus>;
  /** True when the portal cannot be asked for a grievance (its entry says `lookup: none`). */
  noLookup?: boolean;
  /** True when the hub polls the portal (fetchUpdates); false when it pushes. */
  pull: boolean;
  /** The status a wrong credential gets (Open311: 403, as its spec says); default 401. */
  credentialStatus?: number;
}

const SHORT = { ...CALL, timeoutMs: 300 };

export function describeConformance(spec: ConformanceSpec): void {
  const grievance = spec.grievance ?? outbound;
  describe(`${spec.portal.kind} adapter conformance (sandbox, real HTTP${spec.portal.options ? `, ${JSON.stringify(spec.portal.options).slice(0, 40)}` : ''})`, () => {
    const live = useSandbox(spec.start, spec.create, spec.portal);
    const submitted = (clientRef: string) =>
      registered(live.adapter, grievance({ clientRef }), CALL);

    it('submit: registers once, the reference as the portal wrote it, the raw answer kept', async () => {
      const result = await submitted('conf_submit');
      expect(live.sandbox.countByClientRef('conf_submit')).toBe(1);
      expect(result.externalRef).toBe(live.sandbox.registrations()[0].externalRef);
      expect(Number.isNaN(Date.parse(result.acceptedAt))).toBe(false);
      expect(result.raw).toBeDefined();
    });

    if (spec.noLookup) {
      it('has no lookup: the portal entry must say lookup: none', () => {
        expect(live.adapter.lookup).toBeUndefined();
      });
    } else {
      it('lookup: finds a grievance by our client reference, null for one it never got', async () => {
        const { externalRef } = await submitted('conf_lookup');
        expect(await live.adapter.lookup!('conf_lookup', CALL)).toMatchObject({ externalRef });
        expect(await live.adapter.lookup!('conf_never_sent', CALL)).toBeNull();
      });
    }

    it('ambiguous failure: a timeout after the portal accepted is retryable and ambiguous', async () => {
      live.sandbox.injectFaults({ next: ['timeout-after-accept'], hangMs: 2_000 });
      const error = await failure(() =>
        live.adapter.submit(grievance({ clientRef: 'conf_amb' }), SHORT),
      );
      expect(error).toBeInstanceOf(RetryableError);
      expect((error as RetryableError).details.ambiguous).toBe(true);
      expect(live.sandbox.countByClientRef('conf_amb')).toBe(1);
      if (live.adapter.lookup) {
        const found = await live.adapter.lookup('conf_amb', CALL);
        expect(found?.externalRef).toBe(live.sandbox.registrations()[0].externalRef);
      }
    });

    it.each([
      ['drop-connection', true, undefined],
      ['http-500', true, 500],
      ['http-503', false, 503],
      ['http-429', false, 429],
    ] as const)('errors: %s is retryable, ambiguous=%s', async (fault, ambiguous, httpStatus) => {
      live.sandbox.injectFaults({ next: [fault] });
      const error = await failure(() => submitted('conf_retry'));
      expect(error).toBeInstanceOf(RetryableError);
      expect((error as RetryableError).details).toMatchObject({
        ambiguous,
        ...(httpStatus && { httpStatus }),
      });
      if (fault === 'http-429') expect((error as RetryableError).details.retryAfterMs).toBe(1_000);
    });

    it('errors: a portal that is not listening is retryable and not ambiguous', async () => {
      const closed = adapterFor(spec.create, { ...spec.portal, baseUrl: 'http://127.0.0.1:1' });
      const error = await failure(() => closed.submit(grievance({ clientRef: 'conf_x' }), CALL));
      expect((error as RetryableError).details).toMatchObject({ ambiguous: false });
    });

    it('errors: a 400 is permanent, carries the portal’s reason, never personal data', async () => {
      live.sandbox.injectFaults({ next: ['http-400'] });
      const error = await failure(() => submitted('conf_400'));
      expect(error).toBeInstanceOf(PermanentError);
      // The portal's own words, read from its error body, not a stand-in.
      expect((error as PermanentError).details.portalMessage).not.toMatch(/^(HTTP \d+)?$/);
      expect(error.message).toMatch(new RegExp(`^${spec.portal.code} submit: HTTP 400 `));
      expect(personalDataIn(error.message)).toEqual([]);
    });

    it(`errors: a wrong credential is permanent (${spec.credentialStatus ?? 401})`, async () => {
      const wrong = adapterFor(spec.create, {
        ...spec.portal,
        baseUrl: live.sandbox.url,
        credential: { ...spec.portal.credential, value: 'not-the-key' },
      });
      const error = await failure(() => wrong.submit(grievance({ clientRef: 'conf_401' }), CALL));
      expect((error as PermanentError).details).toMatchObject({
        httpStatus: spec.credentialStatus ?? 401,
      });
      expect(live.sandbox.registrations()).toEqual([]);
    });

    it('status mapping: the table maps, an unknown status is an error, never a guess', () => {
      expect(live.adapter.mapStatus).toBeDefined();
      const mapped = Object.keys(spec.statuses).map((n) => live.adapter.mapStatus!(n));
      expect(mapped).toEqual(Object.values(spec.statuses));
      expect(() => live.adapter.mapStatus!('Sent to the Moon')).toThrow(UnknownNativeStatusError);
    });

    it(`status updates: ${spec.pull ? 'pulled with fetchUpdates' : 'no fetchUpdates (a push portal)'}`, () => {
      expect(typeof live.adapter.fetchUpdates).toBe(spec.pull ? 'function' : 'undefined');
    });

    if (spec.pull) {
      it('status mapping: a polled change comes back mapped by the same table', async () => {
        const { externalRef } = await submitted('conf_poll');
        const [native, canonical] = Object.entries(spec.statuses)[0];
        live.sandbox.recordStatus(externalRef, native, { remarks: 'Seen by the officer' });
        const { events } = await live.adapter.fetchUpdates!(null, CALL);
        expect(events.find((e) => e.externalRef === externalRef)).toMatchObject({
          nativeStatus: native,
          status: canonical,
        });
      });
    }

    it('healthCheck: ok when up; when down it reports, never throws', async () => {
      expect(await live.adapter.healthCheck(CALL)).toMatchObject({ ok: true });
      live.sandbox.injectFaults({ down: true });
      expect(await live.adapter.healthCheck(CALL)).toMatchObject({ ok: false });
    });
  });
}
