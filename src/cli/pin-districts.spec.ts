import { lgdDistricts, lgdStates } from './lgd-jurisdictions';
import { districtMatcher, pinDistrictRows, pinDistrictsCsv, postOffices } from './pin-districts';

const states = lgdStates(
  [
    'state_lgd_code,state_name,type',
    '01,Jammu and Kashmir,UT',
    '07,Delhi,UT',
    '09,Uttar Pradesh,State',
    '11,Sikkim,State',
    '19,West Bengal,State',
    '27,Maharashtra,State',
    '28,Andhra Pradesh,State',
    '37,Ladakh,UT',
  ].join('\n'),
);
const districts = lgdDistricts(
  [
    'state_lgd_code,district_lgd_code,district_name',
    '07,84,South West',
    '09,120,Prayagraj',
    '09,162,Lucknow',
    '11,225,Gangtok',
    '19,304,24 Paraganas South',
    '27,466,Ahmednagar',
    '27,491,Raigad',
    '28,502,Anantapur',
    '37,9,Leh Ladakh',
  ].join('\n'),
);
const match = districtMatcher(states, districts);

describe('GeoNames district names → LGD district codes', () => {
  it.each([
    ['Uttar Pradesh', 'Lucknow', '09', '162'],
    ['Uttar Pradesh', 'Allahabad', '09', '120'],
    ['Maharashtra', 'Ahmed Nagar', '27', '466'],
    ['Maharashtra', 'Raigarh(MH)', '27', '491'],
    ['Andhra Pradesh', 'Ananthapur', '28', '502'],
    ['Delhi', 'South West Delhi', '07', '84'],
    ['Sikkim', 'East Sikkim', '11', '225'],
    ['West Bengal', 'South 24 Parganas', '19', '304'],
    ['Jammu & Kashmir', 'Leh', '37', '9'],
  ])('%s / %s → %s / %s', (state, district, stateCode, districtCode) => {
    const code = match.state(state, district);
    expect(code).toBe(stateCode);
    expect(match.district(code!, district)).toBe(districtCode);
  });

  it('leaves a district no LGD name is near unmatched rather than guess', () => {
    expect(match.district('09', 'Sant Kabir Nagar')).toBeNull();
  });
});

describe('the PIN table', () => {
  const offices = postOffices(
    [
      'IN\t226010\tGomti Nagar\tUttar Pradesh\t36\tLucknow\t\t\t\t26.83\t81.01\t4',
      'IN\t226010\tVikas Nagar\tUttar Pradesh\t36\tLucknow\t\t\t\t26.82\t81.02\t4',
      'IN\t226010\tStray\tUttar Pradesh\t36\tNowhere Nagar\t\t\t\t26.90\t81.00\t4',
      'IN\t226001\tNo coordinates\tUttar Pradesh\t36\tLucknow\t\t\t\t\t\t',
    ].join('\n'),
  );

  it('groups offices per PIN and district, at their centroid, largest first', () => {
    expect(pinDistrictRows(offices, match)).toEqual([
      {
        pincode: '226010',
        stateCode: '09',
        districtCode: '162',
        lat: 26.825,
        long: 81.015,
        offices: 2,
      },
      { pincode: '226010', stateCode: '09', districtCode: '', lat: 26.9, long: 81, offices: 1 },
    ]);
  });

  it('writes a CSV naming its source', () => {
    const csv = pinDistrictsCsv(pinDistrictRows(offices, match), 'GeoNames test rows');
    expect(csv.split('\n').slice(0, 3)).toEqual([
      expect.stringContaining('from GeoNames test rows'),
      'pincode,state,district,lat,long,offices',
      '226010,09,162,26.825,81.015,2',
    ]);
  });

  it('refuses an office in a state it does not know', () => {
    const bad = postOffices('IN\t999999\tX\tAtlantis\t0\tY\t\t\t\t1\t1\t4');
    expect(() => pinDistrictRows(bad, match)).toThrow('post office 1: unknown state "Atlantis"');
  });
});
