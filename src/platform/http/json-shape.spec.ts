import { MAX_JSON_DEPTH, jsonShapeProblem } from './json-shape';

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
