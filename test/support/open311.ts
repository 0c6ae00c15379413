import { XMLParser } from 'fast-xml-parser';
import { PartnerAppsService } from '../../src/partner-apps/partner-apps.service';
import type { TestHub } from './test-hub';

/** List items of GeoReport v2 XML: always arrays, even when there is one. */
const ITEMS = new Set([
  'service',
  'attribute',
  'value',
  'request',
  'request_update',
  'error',
  'endpoint',
  'format',
]);

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  ignoreDeclaration: false,
  isArray: (name) => ITEMS.has(name),
});

/** A parsed element as tests read it: text, children by name, or the items of a list. */
export type Xml = string & { [name: string]: Xml } & Xml[];

/** A parsed Open311 XML answer; throws when the text is not well-formed XML. */
export function parseOpen311Xml(text: string): Xml {
  return parser.parse(text, true) as Xml;
}

export async function partnerKey(hub: TestHub, rateLimitPerMinute = 1000, name = 'Civic app') {
  const { key, stored } = await hub.app.get(PartnerAppsService).create({
    name,
    rateLimitPerMinute,
    consentDeclaration: 'The app asks each citizen to agree before it files for them.',
  });
  return { key, id: stored.id };
}

/** The spec's POST example, in Lucknow: every argument of the spec's table. */
export function lucknowForm(key: string, overrides: Record<string, string> = {}) {
  return {
    api_key: key,
    jurisdiction_id: '09',
    service_code: 'MUNICIPAL_SERVICES',
    lat: '26.8467',
    long: '80.9462',
    address_string: 'Sector 12, Gomti Nagar',
    zipcode: '226010',
    email: 'asha@example.in',
    device_id: 'tt222111',
    account_id: '123456',
    first_name: 'Asha',
    last_name: 'Verma',
    phone: '9876543210',
    description: 'A large sinkhole is destroying the street near the park gate.',
    media_url: 'https://example.in/photos/2212426634.jpg',
    'attribute[SUBJECT]': 'Sinkhole on the main road',
    ...overrides,
  };
}
