import type { Category, Ministry } from '../platform/config/hub-config';
import { LANGUAGES } from '../complaints/dto/create-complaint.dto';
import type { Open311Value } from '../../adapters/open311/georeport';

/** Codes of the attributes a service definition offers (`attribute[CODE]=value` in POST). */
export const ATTRIBUTES = {
  subject: 'SUBJECT',
  language: 'LANGUAGE',
  ministry: 'MINISTRY',
} as const;

const LANGUAGE_NAMES: Record<(typeof LANGUAGES)[number], string> = {
  en: 'English',
  hi: 'Hindi',
  as: 'Assamese',
  bn: 'Bengali',
  brx: 'Bodo',
  doi: 'Dogri',
  gu: 'Gujarati',
  kn: 'Kannada',
  ks: 'Kashmiri',
  kok: 'Konkani',
  mai: 'Maithili',
  ml: 'Malayalam',
  mni: 'Manipuri',
  mr: 'Marathi',
  ne: 'Nepali',
  or: 'Odia',
  pa: 'Punjabi',
  sa: 'Sanskrit',
  sat: 'Santali',
  sd: 'Sindhi',
  ta: 'Tamil',
  te: 'Telugu',
  ur: 'Urdu',
};

function describe(c: Category, ministries: Ministry[]): string {
  if (c.level === 'central') {
    const ministry = ministries.find((m) => m.code === c.ministry)?.name ?? c.ministry;
    return `${c.label.en}. A central subject: filed with CPGRAMS, addressed to ${ministry}.`;
  }
  return `${c.label.en}. A state subject: filed with the state's grievance portal (CPGRAMS where the state has none).`;
}

/**
 * GET services: one service per category. Every service has attributes (a subject, the reply
 * language, and for central subjects the ministry), so `metadata` is true; all are `realtime`:
 * the grievance is stored and its id returned in the same request.
 */
export function serviceList(categories: Category[], ministries: Ministry[]): Open311Value[] {
  return categories.map((c) => ({
    service_code: c.code,
    service_name: c.label.en,
    description: describe(c, ministries),
    metadata: true,
    type: 'realtime',
    keywords: (c.keywords ?? []).join(', '),
    group:
      c.group ??
      (c.level === 'central' ? 'Central government services' : 'State government services'),
  }));
}

/** GET services/{code}: the attributes, with the spec's datatypes and `order` from 1. */
export function serviceDefinition(c: Category, ministries: Ministry[]): Open311Value {
  const attributes: Open311Value[] = [
    {
      variable: true,
      code: ATTRIBUTES.subject,
      datatype: 'string',
      required: false,
      datatype_description: '5 to 200 characters, one line',
      order: 1,
      description: 'A one-line summary. Without it, the first line of the description is used.',
      values: [],
    },
    {
      variable: true,
      code: ATTRIBUTES.language,
      datatype: 'singlevaluelist',
      required: false,
      datatype_description: null,
      order: 2,
      description: 'The language the reply should be in (default English).',
      values: LANGUAGES.map((code) => ({ key: code, name: LANGUAGE_NAMES[code] })),
    },
  ];
  if (c.level === 'central')
    attributes.push({
      variable: true,
      code: ATTRIBUTES.ministry,
      datatype: 'singlevaluelist',
      required: false,
      datatype_description: null,
      order: 3,
      description: `The ministry or department to address (default: ${ministries.find((m) => m.code === c.ministry)?.name ?? c.ministry}).`,
      values: ministries.map((m) => ({ key: m.code, name: m.name })),
    });
  return { service_code: c.code, attributes };
}
