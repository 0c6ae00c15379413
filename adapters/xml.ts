import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { readPath } from './dot-path';

// Namespace prefixes dropped (soap:Envelope → Envelope) and attributes ignored: adapters read
// portal XML by element path, like JSON. Tag values stay strings (a reference "00123" keeps its
// zeros). Portal XML is untrusted: entities a DOCTYPE declares stay unexpanded (no "billion
// laughs"), an external one makes the body unreadable; the predefined ones (&amp; …) are decoded.
const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
});
const builder = new XMLBuilder({});

/** Parses a portal's XML answer; undefined when it is not well-formed. */
export function parseXml(text: string): unknown {
  try {
    return parser.parse(text, true);
  } catch {
    return undefined;
  }
}

/** `{ a: 1 }` under `root` → `<root><a>1</a></root>`, text escaped. */
export function buildXml(root: string, body: unknown): string {
  return builder.build({ [root]: body }) as string;
}

export interface SoapFault {
  /** The fault code without its namespace prefix: Client, Server, Sender, Receiver … */
  code: string;
  message: string;
}

/** The SOAP 1.1 or 1.2 fault in a parsed envelope, if there is one. */
export function soapFault(body: unknown): SoapFault | undefined {
  const fault = readPath(body, 'Envelope.Body.Fault');
  if (fault === null || typeof fault !== 'object') return undefined;
  const text = (...paths: string[]) =>
    paths.map((p) => readPath(fault, p)).find((v): v is string => typeof v === 'string') ?? '';
  const code = text('faultcode', 'Code.Value');
  return {
    code: code.slice(code.lastIndexOf(':') + 1),
    message: text('faultstring', 'Reason.Text'),
  };
}
