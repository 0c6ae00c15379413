import { intArray } from './sla-rollup.repository';

describe('intArray (a histogram sent as text)', () => {
  it.each([
    ['{}', []],
    ['{0}', [0]],
    ['{3,0,12,180}', [3, 0, 12, 180]],
    ['{1000000,7}', [1_000_000, 7]],
  ])('reads %s', (text, expected) => {
    expect(intArray(text)).toEqual(expected);
  });

  it.each(['{1,NULL,2}', '{-1}', '{1,,2}', '{1,2'])('refuses %s', (text) => {
    expect(() => intArray(text)).toThrow('not an array of counts');
  });
});
