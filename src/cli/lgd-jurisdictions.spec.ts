import { parse } from 'yaml';
import { jurisdictionsFileSchema } from '../platform/config/jurisdictions.schema';
import {
  jurisdictionsYaml,
  lgdDistricts,
  lgdStates,
  pinPrefixes,
  pinRows,
} from './lgd-jurisdictions';

const states = lgdStates(
  [
    'state_lgd_code,state_name,type',
    '01,Jammu and Kashmir,UT',
    '27,Maharashtra,State',
    '30,Goa,State',
    '34,Puducherry,UT',
    '37,Ladakh,UT',
  ].join('\n'),
);
const districts = lgdDistricts(
  'state_lgd_code,district_lgd_code,district_name\n27,490,Pune\n30,551,North Goa\n37,9,Leh Ladakh\n',
);

describe('jurisdictions from an LGD extract and a PIN dataset', () => {
  it('reads GeoNames rows, mapping old names and files Leh and Kargil under Ladakh', () => {
    const geonames = [
      'IN\t411001\tPune City\tMaharashtra\t16\tPune\t\t\t18.5\t73.8\t4',
      'IN\t403001\tPanaji\tGoa\t33\tNorth Goa\t\t\t15.5\t73.8\t4',
      'IN\t605001\tPondicherry\tPondicherry\t31\tPondicherry\t\t\t11.9\t79.8\t4',
      'IN\t194101\tLeh\tJammu & Kashmir\t12\tLeh\t\t\t34.1\t77.5\t4',
      'IN\t190001\tSrinagar\tJammu & Kashmir\t12\tSrinagar\t\t\t34.0\t74.8\t4',
    ].join('\n');
    expect(pinPrefixes(pinRows(geonames), states)).toEqual({
      '190': ['01'],
      '194': ['37'],
      '403': ['30'],
      '411': ['27'],
      '605': ['34'],
    });
  });

  it("reads India Post's pincode directory CSV, a prefix naming every state it reaches", () => {
    const indiaPost = [
      'circlename,regionname,divisionname,officename,pincode,officetype,delivery,district,statename',
      'Goa Circle,Goa Region,Goa Division,Panaji H.O,403001,H.O,Delivery,NORTH GOA,GOA',
      'Maharashtra Circle,Goa Region,Sindhudurg Division,Dodamarg S.O,403001,S.O,Delivery,SINDHUDURG,MAHARASHTRA',
      'J&K Circle,Leh Region,Leh Division,Leh H.O,194101,H.O,Delivery,LEH,LADAKH',
    ].join('\n');
    expect(pinPrefixes(pinRows(indiaPost), states)).toEqual({
      '194': ['37'],
      '403': ['27', '30'],
    });
  });

  it('refuses a state it cannot place, naming the row', () => {
    const rows = [{ pincode: '110001', state: 'Atlantis', district: '' }];
    expect(() => pinPrefixes(rows, states)).toThrow('PIN row 1: unknown state "Atlantis"');
  });

  it('writes a file the config schema accepts', () => {
    const text = jurisdictionsYaml(
      states,
      districts,
      { '403': ['30'], '411': ['27'] },
      {
        lgd: 'test LGD',
        pins: 'test PINs',
      },
    );
    const file = jurisdictionsFileSchema.parse(parse(text));
    expect(file.districts).toContainEqual({ stateCode: '27', code: '490', name: 'Pune' });
    expect(file.pincodePrefixes).toEqual({ '403': ['30'], '411': ['27'] });
  });
});
