import { predecessors, sqlGuard, sqlRowGuard, step, STEPS } from './lifecycle.steps';

describe('the hub’s own steps (derived from TRANSITIONS)', () => {
  // Written independently of the table: the guards each write had by hand before issue 13.
  it.each([
    ['route', 'ROUTED', ['RECEIVED']],
    ['retry', 'ROUTED', ['DISPATCH_FAILED']],
    ['deliver', 'DELIVERED', ['ROUTED', 'TRANSFERRED', 'RECEIVED']],
    ['fail', 'DISPATCH_FAILED', ['RECEIVED', 'ROUTED', 'TRANSFERRED']],
    ['autoClose', 'CLOSED', ['RESOLVED', 'REJECTED']],
  ] as const)('%s: %s from %j', (name, to, from) => {
    expect(STEPS[name].to).toBe(to);
    expect([...STEPS[name].from].sort()).toEqual([...from].sort());
  });

  it.each([
    ['DELIVERED', ['ROUTED', 'TRANSFERRED']],
    ['DISPATCH_FAILED', ['RECEIVED', 'ROUTED', 'TRANSFERRED']],
    ['CLOSED', ['RESOLVED', 'REJECTED', 'APPEALED']],
    ['RECEIVED', []],
  ] as const)('predecessors of %s: %j', (to, from) => {
    expect(predecessors(to).sort()).toEqual([...from].sort());
  });

  it.each([
    ['a pair the table does not allow', () => step('DELIVERED', ['RECEIVED'])],
    ['a detour the table does not allow', () => step('DELIVERED', ['CLOSED'], 'ROUTED')],
    ['a status nothing moves to', () => step('RECEIVED')],
  ])('refuses %s', (_, make) => {
    expect(make).toThrow();
  });

  it('a guard is the step’s statuses as an SQL list', () => {
    expect(sqlGuard('c.status', STEPS.fail)).toBe(
      "c.status IN ('RECEIVED', 'ROUTED', 'TRANSFERRED')",
    );
    expect(sqlGuard('status', STEPS.route)).toBe("status IN ('RECEIVED')");
    expect(sqlRowGuard('c.status', STEPS.route)).toBe("c.status::text IN ('RECEIVED')");
  });

  it('a guard takes only a plain column and canonical statuses', () => {
    expect(() => sqlGuard('status); DROP TABLE x; --', STEPS.route)).toThrow();
    expect(() => sqlGuard('status', { to: 'ROUTED', from: ["X') OR ('1" as never] })).toThrow();
    expect(() => sqlRowGuard('status); DROP TABLE x; --', STEPS.route)).toThrow();
    expect(() => sqlRowGuard('status', { to: 'ROUTED', from: ["X') OR ('1" as never] })).toThrow();
  });
});
