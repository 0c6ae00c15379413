import { interpolateEnv } from './interpolate';

describe('interpolateEnv', () => {
  const env = { HOST: 'portal.example.in', EMPTY: '', PORT: '8443' };

  it.each([
    ['plain text', 'plain text'],
    ['https://${HOST}:${PORT}/api', 'https://portal.example.in:8443/api'],
    ['${HOST:-localhost}', 'portal.example.in'],
    ['${UNSET:-http://127.0.0.1:4101}', 'http://127.0.0.1:4101'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${UNSET:-}', ''],
    ['cost: $${HOST}', 'cost: ${HOST}'],
    ['$HOST and $ alone', '$HOST and $ alone'],
  ])('%s → %s', (input, expected) => {
    expect(
      interpolateEnv(input, env, (_path, variable) => {
        throw new Error(`${variable} reported missing`);
      }),
    ).toBe(expected);
  });

  it('walks objects and arrays, leaving other values alone', () => {
    const tree = { a: [{ url: '${HOST}' }, 3, true, null], b: { c: '${PORT}' } };
    expect(interpolateEnv(tree, env, () => undefined)).toEqual({
      a: [{ url: 'portal.example.in' }, 3, true, null],
      b: { c: '8443' },
    });
  });

  it('reports each missing variable with its path, including empty ones', () => {
    const missing: [string, string][] = [];
    interpolateEnv({ portals: [{ baseUrl: '${NOPE}', name: '${EMPTY}' }] }, env, (p, v) =>
      missing.push([p, v]),
    );
    expect(missing).toEqual([
      ['portals[0].baseUrl', 'NOPE'],
      ['portals[0].name', 'EMPTY'],
    ]);
  });
});
