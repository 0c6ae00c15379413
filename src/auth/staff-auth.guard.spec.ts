import { apiKeyFrom } from './staff-auth.guard';
import { roleAllows } from './staff-principal';

describe('staff credentials', () => {
  it.each([
    [undefined, null],
    ['Bearer ghk_abc', 'ghk_abc'],
    ['bearer ghk_abc ', 'ghk_abc'],
    [`Basic ${Buffer.from('admin:ghk_xyz').toString('base64')}`, 'ghk_xyz'],
    [`Basic ${Buffer.from('no-colon').toString('base64')}`, null],
    ['Token ghk_abc', null],
    ['Bearer', null],
  ])('%s → %s', (header, key) => {
    expect(apiKeyFrom(header)).toBe(key);
  });

  it.each([
    ['staff', 'staff', true],
    ['staff', 'admin', false],
    ['admin', 'staff', true],
    ['admin', 'admin', true],
  ] as const)('%s may act as %s: %s', (held, required, allowed) => {
    expect(roleAllows(held, required)).toBe(allowed);
  });
});
