import type { SandboxRequest } from './sandbox-kit';
import { portalRoutes } from './sandbox-routes';
import { RegistrationStore } from './sandbox-store';
import { isText } from './sandbox-validation';

// The builders called directly (no HTTP): the portal sandboxes' specs cover them over the wire.
const view = (no: string) => ({ status: 200, body: { no } });
const toy = portalRoutes({
  error: (status, message) => ({ status, message }),
  notFound: (ref, by) => ({ status: 404, body: { by, ref } }),
});
const register = toy.register<{ ref: string; zone: string }>({
  path: '/g',
  rules: [{ path: 'ref', test: isText(1, 10), message: 'must be 1–10 characters' }],
  clientRef: (b) => b.ref,
  externalRef: (b, serial, at) => `${b.zone}/${at.getFullYear()}/${serial}`,
  initialStatus: 'New',
  reply: (r) => ({ status: 201, body: { no: r.externalRef } }),
});
const byQuery = toy.lookup({
  path: '/g',
  from: { query: 'ref' },
  reply: (r) => view(r.externalRef),
});
const byParam = toy.lookup({
  path: '/g/by/:ref',
  from: { param: 'ref' },
  reply: (r) => view(r.externalRef),
});
const reminder = toy.reminder({
  path: '/g/:no/remind',
  reply: (r, at) => ({ status: 201, body: { count: r.reminders.length, at } }),
});
const appeal = toy.appeal({
  path: '/g/:no/appeal',
  reasonField: 'why',
  allowedAfter: ['Done'],
  notAllowed: 'not yet',
  appealStatus: 'Appealed',
  appealRef: (r) => `${r.externalRef}/A`,
  reply: (r, ref) => ({ status: 201, body: { ref, status: r.nativeStatus } }),
});
const req = (over: Partial<SandboxRequest>): SandboxRequest => ({
  method: 'GET',
  params: {},
  query: new URLSearchParams(),
  body: undefined,
  ...over,
});

describe('sandbox route builders', () => {
  let store: RegistrationStore;
  let no: string;
  beforeEach(() => {
    store = new RegistrationStore();
    no = (register.handle(req({ body: { ref: 'c1', zone: 'Z' } }), store).body as { no: string })
      .no;
  });

  it('register: a submit route that validates, numbers and stores', () => {
    expect(register).toMatchObject({ method: 'POST', path: '/g', submit: true });
    expect(no).toBe(`Z/${new Date().getFullYear()}/1`);
    expect(store.all()[0]).toMatchObject({ clientRef: 'c1', nativeStatus: 'New' });
    expect(register.handle(req({ body: { zone: 'Z' } }), store)).toEqual({
      status: 400,
      body: { status: 400, message: 'ref is required' },
    });
    expect(store.all()).toHaveLength(1);
  });

  it('lookup: by query or path parameter; a missing query parameter is a 400', () => {
    expect(byQuery.handle(req({ query: new URLSearchParams('ref=c1') }), store)).toEqual(view(no));
    expect(byParam.handle(req({ params: { ref: 'c1' } }), store)).toEqual(view(no));
    expect(byQuery.handle(req({ query: new URLSearchParams('ref=') }), store)).toEqual({
      status: 400,
      body: { status: 400, message: 'ref is required' },
    });
    expect(byParam.handle(req({ params: { ref: 'c9' } }), store)).toEqual({
      status: 404,
      body: { by: 'clientRef', ref: 'c9' },
    });
  });

  it('reminder: recorded with its time, 404 for an unknown number', () => {
    const reply = reminder.handle(req({ params: { no } }), store);
    expect(reply).toEqual({ status: 201, body: { count: 1, at: store.all()[0].reminders[0] } });
    expect(reminder.handle(req({ params: { no: 'X' } }), store)).toEqual({
      status: 404,
      body: { by: 'externalRef', ref: 'X' },
    });
  });

  it('appeal: 404, then the reason, then the status, then recorded and moved on', () => {
    const why = { why: 'A reason long enough' };
    expect(appeal.handle(req({ params: { no: 'X' }, body: why }), store).status).toBe(404);
    expect(appeal.handle(req({ params: { no }, body: { why: 'short' } }), store)).toEqual({
      status: 400,
      body: { status: 400, message: 'why must be 10–2000 characters' },
    });
    expect(appeal.handle(req({ params: { no }, body: why }), store)).toEqual({
      status: 409,
      body: { status: 409, message: 'not yet' },
    });
    store.recordStatus(no, 'Done');
    expect(appeal.handle(req({ params: { no }, body: why }), store)).toEqual({
      status: 201,
      body: { ref: `${no}/A`, status: 'Appealed' },
    });
    expect(store.all()[0].appeals).toEqual([
      { ref: `${no}/A`, reason: why.why, at: expect.any(String) },
    ]);
  });

  it('refuses a reminder or appeal path without exactly one parameter', () => {
    expect(() => toy.reminder({ path: '/g/remind', reply: () => view('') })).toThrow(
      'expected one :param',
    );
  });
});
