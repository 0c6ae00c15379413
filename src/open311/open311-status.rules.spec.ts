import { ComplaintStatus } from '../generated/prisma/enums';
import { extendedStatus, openOrClosed, statusesOf, statusNote } from './open311-status.rules';

describe('statuses in Open311', () => {
  it.each([
    ['RECEIVED', 'open', 'open'],
    ['ROUTED', 'open', 'open'],
    ['DELIVERED', 'open', 'action_scheduled'],
    ['IN_PROGRESS', 'open', 'in_progress'],
    ['TRANSFERRED', 'open', 'not_councils_responsibility'],
    ['APPEALED', 'open', 'investigating'],
    ['DISPATCH_FAILED', 'open', 'open'],
    ['RESOLVED', 'closed', 'fixed'],
    ['REJECTED', 'closed', 'no_further_action'],
    ['CLOSED', 'closed', 'closed'],
  ] as const)('%s is %s, and %s in servicerequestupdates', (status, base, extended) => {
    expect(openOrClosed(status)).toBe(base);
    expect(extendedStatus(status)).toBe(extended);
    expect(statusNote(status)).toMatch(/\.$/);
  });

  it('covers every hub status, and status=open|closed splits them', () => {
    const all = Object.values(ComplaintStatus);
    expect([...statusesOf('open'), ...statusesOf('closed')].sort()).toEqual([...all].sort());
    expect(statusesOf('closed').sort()).toEqual(['CLOSED', 'REJECTED', 'RESOLVED']);
  });
});
