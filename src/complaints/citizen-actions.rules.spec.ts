import { CANONICAL_STATUSES } from '../../adapters/adapter';
import { appealVerdict, feedbackVerdict, reminderVerdict } from './citizen-actions.rules';

const now = new Date('2026-03-10T00:00:00Z');
const day = 86_400_000;
const ago = (days: number) => new Date(now.getTime() - days * day);

describe('feedbackVerdict', () => {
  it.each(
    CANONICAL_STATUSES.map((s) => [s, ['RESOLVED', 'REJECTED', 'CLOSED'].includes(s)] as const),
  )('%s allowed: %s', (status, allowed) =>
    expect(feedbackVerdict({ status, feedbackAt: null }).ok).toBe(allowed),
  );
  it('only once', () => {
    expect(feedbackVerdict({ status: 'CLOSED', feedbackAt: ago(1) })).toMatchObject({
      ok: false,
      code: 'feedback-already-given',
    });
  });
});

describe('appealVerdict', () => {
  it.each([
    ['resolved, inside the window', 'RESOLVED', null, ago(-1), true, undefined],
    ['closed, last second of the window', 'CLOSED', null, now, true, undefined],
    ['window ended', 'REJECTED', null, ago(1), false, 'appeal-window-closed'],
    ['still open', 'IN_PROGRESS', null, ago(-1), false, 'not-closed'],
    ['already appealed', 'CLOSED', ago(3), ago(-1), false, 'already-appealed'],
    ['no resolution date', 'RESOLVED', null, null, false, 'not-closed'],
  ] as const)('%s', (_n, status, appealedAt, windowEnds, ok, code) => {
    const v = appealVerdict({ status, appealedAt }, windowEnds, now);
    expect(v.ok).toBe(ok);
    if (code) expect(v).toMatchObject({ code });
  });
});

describe('reminderVerdict', () => {
  it.each([
    ['first reminder while in progress', 'IN_PROGRESS', null, true],
    ['delivered, last one 7 days ago', 'DELIVERED', ago(7), true],
    ['not yet at a portal', 'ROUTED', null, false],
    ['resolved', 'RESOLVED', null, false],
    ['delivery failed', 'DISPATCH_FAILED', null, false],
  ] as const)('%s', (_n, status, last, ok) => {
    expect(reminderVerdict({ status }, last, now).ok).toBe(ok);
  });
  it('a second reminder within 7 days says when to come back', () => {
    expect(reminderVerdict({ status: 'IN_PROGRESS' }, ago(6), now)).toMatchObject({
      ok: false,
      code: 'reminder-too-soon',
      retryAfterSeconds: 86_400,
    });
  });
});
