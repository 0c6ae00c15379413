import { PlaceIndex, parsePlaceRows } from './place-index';
import { resolvePlace, type PlaceInput } from './place.rules';

// Real rows of data/pin-districts.csv: 226010 is Lucknow's only; 110001 has an office GeoNames
// files under no LGD district; 605001/607402 sit on the Puducherry - Tamil Nadu border (made up
// here to share a PIN), and 262701 straddles Lakhimpur Kheri (UP) and a made-up second district.
const index = new PlaceIndex(
  parsePlaceRows(
    [
      '# test rows',
      'pincode,state,district,lat,long,offices',
      '226010,09,162,26.829,81.015,6',
      '226001,09,162,26.769,81.03,10',
      '110001,07,77,28.643,77.219,20',
      '110001,07,,28.637,77.218,1',
      '605001,34,600,11.877,79.811,1',
      '605001,33,569,11.95,79.6,2',
      '262701,09,147,27.95,80.78,5',
      '262701,09,148,28.3,80.4,3',
    ].join('\n'),
  ),
);
const input = (o: Partial<PlaceInput>): PlaceInput => ({
  zipcode: null,
  lat: null,
  long: null,
  stateCode: null,
  ...o,
});

describe('resolvePlace: an Open311 location to an LGD state and district, offline', () => {
  it.each([
    [
      'a PIN of one district',
      { zipcode: '226010' },
      { stateCode: '09', districtCode: '162', pincode: '226010' },
    ],
    [
      'a PIN with an unmatched office',
      { zipcode: '110001' },
      { stateCode: '07', districtCode: '77', pincode: '110001' },
    ],
    [
      'a PIN of two districts: no district',
      { zipcode: '262701' },
      { stateCode: '09', districtCode: null, pincode: '262701' },
    ],
    [
      'a PIN of two districts and a point',
      { zipcode: '262701', lat: 28.25, long: 80.45 },
      { stateCode: '09', districtCode: '148', pincode: '262701' },
    ],
    [
      'a PIN of two states and the state',
      { zipcode: '605001', stateCode: '34' },
      { stateCode: '34', districtCode: '600', pincode: '605001' },
    ],
    [
      'a PIN of two states and a point',
      { zipcode: '605001', lat: 11.94, long: 79.61 },
      { stateCode: '33', districtCode: '569', pincode: '605001' },
    ],
    [
      'a point alone: the nearest office and its PIN',
      { lat: 26.8467, long: 80.9462 },
      { stateCode: '09', districtCode: '162', pincode: '226010' },
    ],
  ])('%s', (_what, given, place) => {
    expect(resolvePlace(input(given), index)).toEqual({ place });
  });

  it.each([
    ['neither PIN nor point', {}, 'zipcode or lat/long is required'],
    [
      'an unknown PIN, three digits echoed',
      { zipcode: '999999' },
      'zipcode 999xxx is not in the post office directory',
    ],
    [
      'a PIN of another state',
      { zipcode: '226010', stateCode: '27' },
      'zipcode 226xxx is not in jurisdiction_id 27',
    ],
    [
      'a PIN of two states, nothing else',
      { zipcode: '605001' },
      'zipcode 605xxx is shared by states 33 and 34: send jurisdiction_id or lat/long',
    ],
    [
      'a point far from any office',
      { lat: 19.0, long: 65.0 },
      'lat/long is more than 20 km from any Indian post office: send the zipcode',
    ],
    [
      'a point in another state',
      { lat: 26.8467, long: 80.9462, stateCode: '27' },
      'lat/long lies in state 09, not in jurisdiction_id 27',
    ],
  ])('refuses %s', (_what, given, problem) => {
    expect(resolvePlace(input(given), index)).toEqual({
      problem: expect.stringContaining(problem),
    });
  });
});

describe('PlaceIndex.nearest', () => {
  it('finds the nearest centroid within the limit and nothing beyond it', () => {
    expect(index.nearest(26.77, 81.03, 5)?.row.pincode).toBe('226001');
    expect(index.nearest(27.5, 81.03, 20)).toBeNull();
  });

  it('refuses a limit wider than the cells it searches', () => {
    expect(() => index.nearest(26.77, 81.03, 100)).toThrow('maxKm is at most 40');
  });
});
