import { TEST_CONFIG_DIR } from '../../../test/support/config-dir';
import type { Jurisdictions } from './hub-config';
import {
  categoryByCode,
  districtsOf,
  isKnownState,
  isValidDistrict,
  ministryByCode,
  statesOfPincode,
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

  it('lists the districts of every state', () => {
    expect(districtsOf(jurisdictions, '09')).toHaveLength(75);
    expect(districtsOf(jurisdictions, '10')).toHaveLength(38);
    expect(districtsOf(jurisdictions, '27')).toHaveLength(36);
  });

  it.each([
    ['09', '162', true, 'a listed district'],
    ['09', '661', true, 'a listed district (Hapur)'],
    ['09', '519', false, 'Srikakulam, a district of Andhra Pradesh'],
    ['27', '162', false, 'Lucknow is not in Maharashtra (issue 11)'],
    ['27', '490', true, 'Pune'],
    ['10', '212', true, 'Patna'],
    ['10', '7', false, 'Kathua, in Jammu and Kashmir'],
    ['10', '9999', false, 'no such district anywhere'],
    ['10', 'abc', false, 'not numeric'],
    ['99', '162', false, 'unknown state'],
  ])('isValidDistrict(%s, %s) = %s (%s)', (state, district, valid) => {
    expect(isValidDistrict(jurisdictions, state, district)).toBe(valid);
  });

  it('checks a hand-made directory the same way', () => {
    const j: Jurisdictions = {
      states: [{ code: '27', name: 'Maharashtra', type: 'State' }],
      districts: [{ stateCode: '27', code: '521', name: 'Example district' }],
      pincodePrefixes: {},
    };
    expect(isValidDistrict(j, '27', '521')).toBe(true);
    expect(isValidDistrict(j, '27', '522')).toBe(false);
  });

  it.each([
    ['226001', ['09']],
    ['403001', ['30']], // Goa, inside Maharashtra's 40-44
    ['160062', ['03', '04']], // Chandigarh and Punjab's Mohali share 160
    ['682555', ['31', '32']], // Lakshadweep inside Kerala's 68
    ['744101', ['35']], // Andaman and Nicobar inside West Bengal's 7x
    ['396230', ['24', '38']], // Dadra and Nagar Haveli inside Gujarat's 39
    ['194101', ['37']], // Ladakh inside Jammu and Kashmir's 19
    ['605001', ['33', '34']], // Puducherry inside Tamil Nadu's 60
    ['449999', ['27']], // a prefix not in the table: its region's states
    ['900001', []], // Army Postal Service
    ['350001', []], // no such region
  ])('statesOfPincode(%s) = %j', (pincode, states) => {
    expect(statesOfPincode(jurisdictions, pincode)).toEqual(states);
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
