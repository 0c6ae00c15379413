import { MAX_JSON_DEPTH, jsonShapeProblem, parseJsonBody } from './json-shape';

describe('jsonShapeProblem', () => {
  const nest = (depth: number): unknown => {
    let v: unknown = 1;
    for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
    return v;
  };

  it.each([
    [{ subject: 'x', location: { stateCode: '09' } }, null],
    [[1, [2, [3]]], null],
    ['text', null],
    [nest(MAX_JSON_DEPTH), null],
  ])('accepts %j', (body, expected) => {
    expect(jsonShapeProblem(body)).toEqual(expected);
  });

  it('refuses nesting deeper than the limit without recursing', () => {
    expect(jsonShapeProblem(nest(MAX_JSON_DEPTH + 1))?.message).toMatch(/nests deeper/);
    expect(jsonShapeProblem(nest(100_000))?.message).toMatch(/nests deeper/);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses a %s key, naming its path', (key) => {
    const body = JSON.parse(`{"complainant":{"${key}":{"isAdmin":true}}}`);
    expect(jsonShapeProblem(body)).toEqual({
      path: `complainant.${key}`,
      message: 'is not a known field',
    });
  });
});

describe('parseJsonBody', () => {
  const raw = (text: string) => Buffer.from(text, 'utf8');

  it('parses UTF-8 JSON', () => {
    expect(parseJsonBody(raw('{"remarks":"निस्तारित"}'))).toEqual({ remarks: 'निस्तारित' });
  });

  it.each([
    ['not JSON', 'not json {', 'malformed-json'],
    ['an empty body', '', 'malformed-json'],
    ['a __proto__ key', '{"__proto__":{"isAdmin":true}}', 'validation-failed'],
    [
      'nesting past the limit',
      '['.repeat(MAX_JSON_DEPTH + 2) + ']'.repeat(MAX_JSON_DEPTH + 2),
      'validation-failed',
    ],
  ])('refuses %s with the code the body parser would give', (_n, text, code) => {
    expect(() => parseJsonBody(raw(text))).toThrow(expect.objectContaining({ code, status: 400 }));
  });
});
