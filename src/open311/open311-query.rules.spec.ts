import { Open311Error } from './open311-error';
import { parseRequestQuery } from './open311-query.rules';

const now = new Date('2026-11-27T04:00:00Z');
const DAY = 86_400_000;

function problems(query: Record<string, unknown>): string[] {
  try {
    parseRequestQuery(query, now);
  } catch (e) {
    return (e as Open311Error).errors.map((x) => x.description);
  }
  throw new Error('accepted');
}

describe('GET requests arguments', () => {
  it('defaults to the last 90 days, every code and status', () => {
    expect(parseRequestQuery({}, now)).toEqual({
      trackingIds: null,
      categories: null,
      statuses: null,
      from: new Date(now.getTime() - 90 * DAY),
      to: now,
    });
  });

  it('takes start_date alone as the 90 days from it; zones are honoured', () => {
    const f = parseRequestQuery({ start_date: '2026-05-24T05:30:00+05:30' }, now);
    expect(f.from.toISOString()).toBe('2026-05-24T00:00:00.000Z');
    expect(f.to.getTime() - f.from.getTime()).toBe(90 * DAY);
  });

  it('service_request_id overrides every other argument', () => {
    const f = parseRequestQuery(
      { service_request_id: 'ONOP-2222-3333-4444', status: 'closed', service_code: 'POLICE' },
      now,
    );
    expect(f).toMatchObject({
      trackingIds: ['ONOP-2222-3333-4444'],
      categories: null,
      statuses: null,
    });
  });

  it('status=open,closed is every status; status=closed the three ends', () => {
    expect(parseRequestQuery({ status: 'closed' }, now).statuses?.sort()).toEqual([
      'CLOSED',
      'REJECTED',
      'RESOLVED',
    ]);
    expect(parseRequestQuery({ status: 'open,closed' }, now).statuses).toHaveLength(10);
  });

  it.each([
    [
      { start_date: '2026-01-01' },
      'start_date must be a w3 datetime with zone, e.g. 2026-11-01T00:00:00Z',
    ],
    [
      { end_date: '2026-01-01T00:00:00' },
      'end_date must be a w3 datetime with zone, e.g. 2026-11-01T00:00:00Z',
    ],
    [
      { start_date: '2026-01-01T00:00:00Z', end_date: '2026-04-02T00:00:00Z' },
      'start_date and end_date may not span more than 90 days',
    ],
    [
      { start_date: '2026-02-01T00:00:00Z', end_date: '2026-01-01T00:00:00Z' },
      'end_date must not be before start_date',
    ],
    [{ status: 'pending' }, 'status must be open, closed or both (comma-separated)'],
    [
      { service_code: ['POLICE', 'ROADS'] },
      'service_code must be given once (comma-separated for several)',
    ],
    [
      { service_request_id: '638344' },
      'service_request_id must list up to 1000 ids like ONOP-XXXX-XXXX-XXXX',
    ],
  ])('refuses %j', (query, message) => {
    expect(problems(query)).toEqual([message]);
  });
});
