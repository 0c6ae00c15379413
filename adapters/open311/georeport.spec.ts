import { XMLParser } from 'fast-xml-parser';
import { escapeXml, serialize } from './open311.serializers';

describe('Open311 XML and JSON', () => {
  it('nests list items in the spec element names; JSON is the bare list', () => {
    const body = [{ code: 404, description: 'service_code was not found' }];
    expect(serialize('xml', 'errors', body)).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<errors><error><code>404</code><description>service_code was not found</description></error></errors>\n',
    );
    expect(JSON.parse(serialize('json', 'errors', body))).toEqual(body);
  });

  it('writes null and empty as empty elements, booleans as true/false', () => {
    expect(
      serialize('xml', 'service_requests', [{ account_id: null, metadata: true, token: '' }]),
    ).toContain('<request><account_id/><metadata>true</metadata><token/></request>');
  });

  it('escapes markup and drops what XML 1.0 cannot carry, keeping Devanagari', () => {
    const text = 'नाली <b>"choked"</b> & \u0000smelly \uD800';
    const xml = serialize('xml', 'service_requests', [{ description: text }]);
    expect(xml).toContain(
      '<description>नाली &lt;b&gt;&quot;choked&quot;&lt;/b&gt; &amp; smelly </description>',
    );
    const parsed = new XMLParser({ parseTagValue: false }).parse(xml, true);
    expect(parsed.service_requests.request.description).toBe('नाली <b>"choked"</b> & smelly');
    expect(escapeXml("it's")).toBe('it&apos;s');
  });

  it('refuses a list it has no item element for (a new list must be named)', () => {
    expect(() => serialize('xml', 'things', [1])).toThrow('No item element for the list things');
  });
});
