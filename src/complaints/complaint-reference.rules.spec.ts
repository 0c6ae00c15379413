import { loadHubConfig } from '../platform/config/load-config';
import { locationProblems } from './complaint-reference.rules';

const { jurisdictions } = loadHubConfig({ env: { NODE_ENV: 'test' } });

describe('locationProblems', () => {
  it.each([
    ['Lucknow, UP', '09', '162', '226001'],
    ['no district given', '10', null, '800001'],
    ['Pune, Maharashtra', '27', '490', '411001'],
    ['Panaji, Goa: 403 inside Maharashtra 40-44', '30', '551', '403001'],
    ['Mohali, Punjab: 160 shared with Chandigarh', '03', '608', '160062'],
    ['Chandigarh: 160', '04', '44', '160017'],
    ['Kavaratti, Lakshadweep: 682 inside Kerala 68', '31', '553', '682555'],
    ['Port Blair, Andaman: 744 inside West Bengal 7x', '35', '602', '744101'],
    ['Gangtok, Sikkim: 737 inside West Bengal 7x', '11', '225', '737101'],
    ['Puducherry: 605 shared with Tamil Nadu', '34', '600', '605001'],
    ['Villupuram, Tamil Nadu: 605', '33', '596', '605602'],
    ['Yanam, Puducherry: 533 inside Andhra Pradesh', '34', '601', '533464'],
    ['Mahe, Puducherry: 673 inside Kerala', '34', '599', '673310'],
    ['Silvassa, DNH and DD: 396 inside Gujarat 39', '38', '465', '396230'],
    ['Diu: 362 inside Gujarat', '38', '464', '362520'],
    ['Leh, Ladakh: 194 inside J&K 19', '37', '9', '194101'],
    ['Srinagar, J&K', '01', '13', '190001'],
    ['Dehradun, Uttarakhand: 248', '05', '49', '248001'],
    ['Haridwar, Uttarakhand: 249 (Uttarakhand-only prefix)', '05', '50', '249401'],
    ['Hyderabad, Telangana: 500', '36', '507', '500001'],
    ['Shillong, Meghalaya: 793 inside the North East 79', '17', '274', '793001'],
    ['a prefix missing from the table falls back to its region (2 digits)', '27', '490', '449999'],
  ])('accepts %s', (_name, stateCode, districtCode, pincode) => {
    expect(locationProblems(jurisdictions, { stateCode, districtCode, pincode })).toEqual([]);
  });

  it.each([
    [
      'Lucknow (162) in Maharashtra, with a Pune PIN',
      { stateCode: '27', districtCode: '162', pincode: '411001' },
      [
        [
          'location.districtCode',
          '162 is Lucknow in Uttar Pradesh (09), not a district of Maharashtra (27)',
        ],
      ],
    ],
    [
      'Lucknow PIN and district but Maharashtra as state: the state is wrong',
      { stateCode: '27', districtCode: '162', pincode: '226001' },
      [
        [
          'location.stateCode',
          '27 is Maharashtra, but district 162 (Lucknow) and PIN codes starting 226 are in Uttar Pradesh (09)',
        ],
      ],
    ],
    [
      'a Goa PIN in Maharashtra',
      { stateCode: '27', districtCode: '490', pincode: '403001' },
      [['location.pincode', 'PIN codes starting 403 belong to Goa (30), not to Maharashtra (27)']],
    ],
    [
      'a Puducherry/Tamil Nadu PIN in Kerala',
      { stateCode: '32', districtCode: null, pincode: '605001' },
      [
        [
          'location.pincode',
          'PIN codes starting 605 belong to Tamil Nadu (33) or Puducherry (34), not to Kerala (32)',
        ],
      ],
    ],
    [
      'a Ladakh PIN in Jammu and Kashmir',
      { stateCode: '01', districtCode: null, pincode: '194101' },
      [
        [
          'location.pincode',
          'PIN codes starting 194 belong to Ladakh (37), not to Jammu and Kashmir (01)',
        ],
      ],
    ],
    [
      'an Army Postal Service PIN',
      { stateCode: '09', districtCode: '162', pincode: '900001' },
      [['location.pincode', 'PIN codes starting 900 belong to no state or union territory']],
    ],
    [
      'an unknown district code',
      { stateCode: '09', districtCode: '9999', pincode: '226001' },
      [['location.districtCode', '9999 is not an LGD district code (GET /api/v1/jurisdictions)']],
    ],
    [
      'two wrong fields: two messages',
      { stateCode: '27', districtCode: '162', pincode: '800001' },
      [
        [
          'location.districtCode',
          '162 is Lucknow in Uttar Pradesh (09), not a district of Maharashtra (27)',
        ],
        [
          'location.pincode',
          'PIN codes starting 800 belong to Bihar (10), not to Maharashtra (27)',
        ],
      ],
    ],
    [
      'a state code that no longer exists (25 merged into 38)',
      { stateCode: '25', districtCode: null, pincode: '396210' },
      [['location.stateCode', 'stateCode is not an LGD state code (GET /api/v1/jurisdictions)']],
    ],
  ])('refuses %s', (_name, place, expected) => {
    expect(locationProblems(jurisdictions, place)).toEqual(
      expected.map(([path, message]) => ({ path, message })),
    );
  });
});
