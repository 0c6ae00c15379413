import { XMLParser } from 'fast-xml-parser';
import { escapeXml, renderErrors, renderList, serialize } from './georeport';

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

describe('renderList (the sandbox city server)', () => {
  it('writes a list through the same writer: item elements, empty elements for absent values', () => {
    const records = [{ service_request_id: 'LKO-1', status_notes: null, media_url: undefined }];
    expect(renderList('xml', 'service_requests', records)).toBe(
      serialize('xml', 'service_requests', [
        { service_request_id: 'LKO-1', status_notes: null, media_url: null },
      ]),
    );
    expect(renderList('xml', 'service_requests', records)).toContain(
      '<service_requests><request><service_request_id>LKO-1</service_request_id><status_notes/><media_url/></request></service_requests>',
    );
    expect(renderList('json', 'service_requests', records)).toEqual(records);
  });

  it('writes the spec error answer in either format', () => {
    expect(renderErrors('json', 404, 'not found')).toEqual([
      { code: 404, description: 'not found' },
    ]);
    expect(renderErrors('xml', 404, 'a < b')).toContain(
      '<errors><error><code>404</code><description>a &lt; b</description></error></errors>',
    );
  });
});
