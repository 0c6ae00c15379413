import { NamedParams } from './named-params';

describe('NamedParams', () => {
  it('numbers the placeholders in the order they are written, and lays values out the same way', () => {
    const p = new NamedParams();
    const sql = [
      p.unnest('events', { id: 'uuid', status: 'text', at: 'timestamptz' }, 'e'),
      p.array('touched', 'uuid'),
      p.unnest('notes', { kind: 'text', sent: 'boolean' }),
    ].join(' | ');
    expect(sql).toBe(
      'unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS e(id, status, at)' +
        ' | $4::uuid[]' +
        ' | unnest($5::text[], $6::boolean[]) AS notes(kind, sent)',
    );
    const at = new Date(0);
    // Arguments by name, in any order, rows with their columns in any order.
    const values = p.values({
      notes: [{ sent: true, kind: 'a' }],
      touched: ['t1', 't2'],
      events: [
        { status: 'RESOLVED', id: 'e1', at },
        { id: 'e2', at, status: null },
      ],
    });
    expect(values).toEqual([
      ['e1', 'e2'],
      ['RESOLVED', null],
      [at, at],
      ['t1', 't2'],
      ['a'],
      [true],
    ]);
  });

  it('an array written twice is one placeholder', () => {
    const p = new NamedParams();
    expect([p.array('ids', 'uuid'), p.array('ids', 'uuid')]).toEqual(['$1::uuid[]', '$1::uuid[]']);
    expect(p.values({ ids: ['x'] })).toEqual([['x']]);
  });

  it('a value is one placeholder, sent as given (null too), written again the same', () => {
    const p = new NamedParams();
    const sql = [
      p.value('limit', 'int'),
      p.array('ids', 'uuid'),
      p.value('since', 'timestamptz'),
      p.value('limit', 'int'),
    ];
    expect(sql).toEqual(['$1::int', '$2::uuid[]', '$3::timestamptz', '$1::int']);
    expect(p.values({ since: null, ids: ['x'], limit: 3 })).toEqual([3, ['x'], null]);
    expect(() => p.value('limit', 'text')).toThrow('Parameter limit is used with two types');
    expect(() => p.values({ since: null, ids: 'x', limit: 3 })).toThrow(
      'Parameter ids is not an array',
    );
    expect(() => p.values({ since: null, ids: ['x'], limit: [3] })).toThrow(
      'Parameter limit is one int, not an array or an object',
    );
    expect(() => p.values({ since: { at: 1 }, ids: ['x'], limit: 3 })).toThrow(
      'Parameter since is one timestamptz, not an array or an object',
    );
    // Dates, buffers and (for jsonb) objects are single values.
    const q = new NamedParams();
    expect([
      q.value('at', 'timestamptz'),
      q.value('bytes', 'bytea'),
      q.value('doc', 'jsonb'),
    ]).toEqual(['$1::timestamptz', '$2::bytea', '$3::jsonb']);
    const at = new Date(0);
    expect(q.values({ at, bytes: Buffer.of(1), doc: { a: 1 } })).toEqual([
      at,
      Buffer.of(1),
      { a: 1 },
    ]);
  });

  it('a row is one placeholder per column, taken from one object', () => {
    const p = new NamedParams();
    const sql = [p.value('n', 'int'), p.row('grievance', { id: 'uuid', at: 'timestamptz' }, 'g')];
    expect(sql).toEqual(['$1::int', '(SELECT $2::uuid AS id, $3::timestamptz AS at) AS g']);
    expect(p.values({ grievance: { at: null, id: 'g1' }, n: 1 })).toEqual([1, 'g1', null]);
    expect(() => p.values({ grievance: [{ at: null, id: 'g1' }], n: 1 })).toThrow(
      'Parameter grievance is not a row',
    );
    expect(() => p.values({ grievance: { id: 'g1' }, n: 1 })).toThrow(
      'The row grievance has no at',
    );
    expect(() => p.row('n', { id: 'uuid' })).toThrow('Parameter n is used twice');
  });

  it('empty tables give empty columns', () => {
    const p = new NamedParams();
    p.unnest('rows', { id: 'uuid', n: 'int' });
    expect(p.values({ rows: [] })).toEqual([[], []]);
  });

  it.each([
    [
      'a parameter not given',
      (p: NamedParams) => p.values({ rows: [] }),
      'Parameter ids not given',
    ],
    [
      'a parameter the statement has not',
      (p: NamedParams) => p.values({ rows: [], ids: [], other: [] }),
      'No parameter named other',
    ],
    [
      'a row without one of the columns',
      (p: NamedParams) => p.values({ rows: [{ id: 'x' }], ids: [] }),
      'A row of rows has no n',
    ],
    [
      'an unnest name used twice',
      (p: NamedParams) => p.unnest('rows', { id: 'uuid' }),
      'Parameter rows is used twice',
    ],
    [
      'an array name reused as an unnest',
      (p: NamedParams) => p.unnest('ids', { id: 'uuid' }),
      'Parameter ids is used twice',
    ],
    [
      'an array reused with another type',
      (p: NamedParams) => p.array('ids', 'text'),
      'Parameter ids is used with two types',
    ],
    [
      'an unnest without columns',
      (p: NamedParams) => p.unnest('none', {}),
      'unnest none has no columns',
    ],
  ])('refuses %s', (_what, misuse, message) => {
    const p = new NamedParams();
    p.unnest('rows', { id: 'uuid', n: 'int' });
    p.array('ids', 'uuid');
    expect(() => misuse(p)).toThrow(message);
  });
});
