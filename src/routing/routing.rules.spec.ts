import type { Category, RoutingConfig } from '../platform/config/hub-config';
import {
  BUILT_IN_RULES,
  type RoutingDecision,
  type RoutingInput,
  routeGrievance,
} from './routing.rules';

const categories: Category[] = [
  {
    code: 'MUNICIPAL_SERVICES',
    label: { en: 'Municipal', hi: 'नगरीय' },
    level: 'state',
    ministry: null,
  },
  { code: 'POLICE', label: { en: 'Police', hi: 'पुलिस' }, level: 'state', ministry: null },
  { code: 'RAILWAYS', label: { en: 'Railways', hi: 'रेलवे' }, level: 'central', ministry: 'MORLY' },
];

const routing = (mirror: boolean): RoutingConfig => ({
  centralPortal: 'CPGRAMS',
  mirrorStateGrievances: { enabled: mirror, portal: 'CPGRAMS' },
  rules: [
    {
      name: 'lucknow-municipal',
      stateCode: '09',
      districts: ['162'],
      categories: ['MUNICIPAL_SERVICES'],
      portal: 'LKO-NAGAR-NIGAM',
    },
    { name: 'up-police', stateCode: '09', categories: ['POLICE'], portal: 'UP-POLICE' },
    { name: 'agra-district', stateCode: '09', districts: ['118'], portal: 'AGRA-PORTAL' },
    { name: 'uttar-pradesh', stateCode: '09', portal: 'UP-IGRS' },
    { name: 'maharashtra', stateCode: '27', portal: 'MH-AAPLESARKAR' },
  ],
});

const input = (over: Partial<RoutingInput>): RoutingInput => ({
  stateCode: '09',
  districtCode: '162',
  category: 'MUNICIPAL_SERVICES',
  ministryCode: null,
  ...over,
});

type Row = [string, boolean, Partial<RoutingInput>, RoutingDecision];
const state = (primary: string, rule: string, mirrors: string[] = []): RoutingDecision => ({
  primary,
  mirrors,
  ministryCode: null,
  rule,
});

const cases: Row[] = [
  [
    'explicit ministry goes central and keeps it',
    false,
    { ministryCode: 'DOTEL' },
    {
      primary: 'CPGRAMS',
      mirrors: [],
      ministryCode: 'DOTEL',
      rule: BUILT_IN_RULES.explicitMinistry,
    },
  ],
  [
    'explicit ministry wins over a central category',
    false,
    { category: 'RAILWAYS', ministryCode: 'DARPG' },
    {
      primary: 'CPGRAMS',
      mirrors: [],
      ministryCode: 'DARPG',
      rule: BUILT_IN_RULES.explicitMinistry,
    },
  ],
  [
    'explicit ministry wins over a state rule, no mirror',
    true,
    { ministryCode: 'DOPPW' },
    {
      primary: 'CPGRAMS',
      mirrors: [],
      ministryCode: 'DOPPW',
      rule: BUILT_IN_RULES.explicitMinistry,
    },
  ],
  [
    'central category goes central with its ministry',
    false,
    { category: 'RAILWAYS' },
    {
      primary: 'CPGRAMS',
      mirrors: [],
      ministryCode: 'MORLY',
      rule: BUILT_IN_RULES.centralCategory,
    },
  ],
  [
    'central category from a state without portal',
    true,
    { stateCode: '10', districtCode: null, category: 'RAILWAYS' },
    {
      primary: 'CPGRAMS',
      mirrors: [],
      ministryCode: 'MORLY',
      rule: BUILT_IN_RULES.centralCategory,
    },
  ],
  ['district + category rule', false, {}, state('LKO-NAGAR-NIGAM', 'lucknow-municipal')],
  [
    'district rule needs its category',
    false,
    { category: 'ROADS' },
    state('UP-IGRS', 'uttar-pradesh'),
  ],
  [
    'category-restricted rule, any district',
    false,
    { districtCode: '187', category: 'POLICE' },
    state('UP-POLICE', 'up-police'),
  ],
  [
    'category-restricted rule, no district given',
    false,
    { districtCode: null, category: 'POLICE' },
    state('UP-POLICE', 'up-police'),
  ],
  [
    'district-specific rule, any category',
    false,
    { districtCode: '118', category: 'ROADS' },
    state('AGRA-PORTAL', 'agra-district'),
  ],
  [
    'district rule never matches without a district',
    false,
    { districtCode: null },
    state('UP-IGRS', 'uttar-pradesh'),
  ],
  [
    'first matching rule wins',
    false,
    { districtCode: '118', category: 'POLICE' },
    state('UP-POLICE', 'up-police'),
  ],
  ['state catch-all', false, { districtCode: '187' }, state('UP-IGRS', 'uttar-pradesh')],
  [
    'unknown category is a state subject',
    false,
    { category: 'SOMETHING_NEW', districtCode: '187' },
    state('UP-IGRS', 'uttar-pradesh'),
  ],
  [
    'other state with a portal',
    false,
    { stateCode: '27', districtCode: '490' },
    state('MH-AAPLESARKAR', 'maharashtra'),
  ],
  [
    'state without a portal falls to central',
    false,
    { stateCode: '10', districtCode: null },
    state('CPGRAMS', BUILT_IN_RULES.noStatePortal),
  ],
  [
    'unknown state falls to central',
    false,
    { stateCode: '99', districtCode: null },
    state('CPGRAMS', BUILT_IN_RULES.noStatePortal),
  ],
  [
    'mirror on: state portal gets a central copy',
    true,
    { districtCode: '187' },
    state('UP-IGRS', 'uttar-pradesh', ['CPGRAMS']),
  ],
  [
    'mirror on: district rule also mirrored',
    true,
    {},
    state('LKO-NAGAR-NIGAM', 'lucknow-municipal', ['CPGRAMS']),
  ],
  [
    'mirror on: central fallback is not mirrored to itself',
    true,
    { stateCode: '10', districtCode: null },
    state('CPGRAMS', BUILT_IN_RULES.noStatePortal),
  ],
  [
    'mirror off: no copy',
    false,
    { stateCode: '27', districtCode: '490' },
    state('MH-AAPLESARKAR', 'maharashtra'),
  ],
];

describe('routeGrievance', () => {
  it.each(cases)('%s', (_name, mirror, over, expected) => {
    expect(routeGrievance(input(over), { routing: routing(mirror), categories })).toEqual(expected);
  });

  it('never mirrors a rule that already targets the mirror portal', () => {
    const config = routing(true);
    config.rules = [{ name: 'odd', stateCode: '09', portal: 'CPGRAMS' }];
    expect(routeGrievance(input({}), { routing: config, categories }).mirrors).toEqual([]);
  });
});
