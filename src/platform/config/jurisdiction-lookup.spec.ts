import { TEST_CONFIG_DIR } from '../../../test/support/config-dir';
import type { Jurisdictions } from './hub-config';
import {
  categoryByCode,
  districtsOf,
  isKnownState,
  isValidDistrict,
  ministryByCode,
} from './jurisdiction-lookup';
import { loadHubConfig } from './load-config';

const { jurisdictions, categories, ministries } = loadHubConfig({
  configDir: TEST_CONFIG_DIR,
  env: { NODE_ENV: 'development' },
});

describe('jurisdiction lookup', () => {
  it.each([
    ['09', true],
    ['27', true],
    ['38', true],
    ['25', false], // merged into 38 in 2020
    ['9', false],
    ['99', false],
  ])('isKnownState(%s) = %s', (code, known) => {
    expect(isKnownState(jurisdictions, code)).toBe(known);
  });

  it('lists the districts of a state that has them', () => {
    expect(districtsOf(jurisdictions, '09')).toHaveLength(75);
    expect(districtsOf(jurisdictions, '10')).toEqual([]);
  });

  it.each([
    ['09', '162', true, 'a listed district'],
    ['09', '661', true, 'a listed district (Hapur)'],
    ['09', '519', false, 'not in the state list'],
    ['10', '231', true, 'state without a list: any 1-4 digit code'],
    ['10', '7', true, 'state without a list: one digit'],
    ['10', '12345', false, 'five digits'],
    ['10', 'abc', false, 'not numeric'],
    ['99', '162', false, 'unknown state'],
  ])('isValidDistrict(%s, %s) = %s (%s)', (state, district, valid) => {
    expect(isValidDistrict(jurisdictions, state, district)).toBe(valid);
  });

  it('checks a hand-made directory the same way', () => {
    const j: Jurisdictions = {
      states: [{ code: '27', name: 'Maharashtra', type: 'State' }],
      districts: [{ stateCode: '27', code: '521', name: 'Example district' }],
    };
    expect(isValidDistrict(j, '27', '521')).toBe(true);
    expect(isValidDistrict(j, '27', '522')).toBe(false);
  });

  it('finds categories and ministries by code', () => {
    expect(categoryByCode(categories, 'PASSPORT')).toMatchObject({
      level: 'central',
      ministry: 'MEAPD',
    });
    expect(categoryByCode(categories, 'NOPE')).toBeUndefined();
    expect(ministryByCode(ministries, 'DARPG')?.name).toMatch(/Administrative Reforms/);
  });
});
