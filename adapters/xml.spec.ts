import { buildXml, parseXml, soapFault } from './xml';

describe('portal XML', () => {
  it('reads elements by path without namespace prefixes, values as written', () => {
    expect(parseXml('<p:r xmlns:p="urn:x"><p:ref>007</p:ref><n>a &amp; b</n></p:r>')).toEqual({
      r: { ref: '007', n: 'a & b' },
    });
  });

  it.each([
    ['malformed', '<r><ref>1</r>'],
    ['an external entity', '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'],
  ])('%s → unreadable (undefined), never thrown', (_name, text) => {
    expect(parseXml(text)).toBeUndefined();
  });

  it('leaves entities a DOCTYPE declares unexpanded (no billion laughs)', () => {
    const bomb =
      '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><r>&b;&b;</r>';
    expect(parseXml(bomb)).toEqual({ r: '&b;&b;' });
  });

  it('builds a body under a root, escaping text', () => {
    expect(buildXml('g', { s: 'a<b', n: { m: 1 } })).toBe('<g><s>a&lt;b</s><n><m>1</m></n></g>');
  });

  it.each([
    [
      'SOAP 1.1',
      '<e:Envelope xmlns:e="s"><e:Body><e:Fault><faultcode>e:Client.Auth</faultcode><faultstring>No</faultstring></e:Fault></e:Body></e:Envelope>',
      { code: 'Client.Auth', message: 'No' },
    ],
    [
      'SOAP 1.2',
      '<e:Envelope xmlns:e="s"><e:Body><e:Fault><e:Code><e:Value>e:Receiver</e:Value></e:Code><e:Reason><e:Text xml:lang="en">Busy</e:Text></e:Reason></e:Fault></e:Body></e:Envelope>',
      { code: 'Receiver', message: 'Busy' },
    ],
    ['no fault', '<e:Envelope xmlns:e="s"><e:Body><ok/></e:Body></e:Envelope>', undefined],
  ])('finds the %s fault', (_name, text, fault) => {
    expect(soapFault(parseXml(text))).toEqual(fault);
  });
});
