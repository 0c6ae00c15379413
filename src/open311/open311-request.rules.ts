import type { Category } from '../platform/config/hub-config';
import { Open311Error, type Open311ErrorEntry } from './open311-error';
import { ATTRIBUTES } from './open311-services';
import type { Place, PlaceInput } from './place.rules';

/** The spec's limit on a description ("free form text limited to 4,000 characters"). */
export const MAX_DESCRIPTION = 4000;

export interface Open311Post {
  category: Category;
  place: PlaceInput;
  addressString: string | null;
  addressId: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  email: string | null;
  description: string | null;
  mediaUrl: string | null;
  attributes: Record<string, string>;
}

type Form = Record<string, unknown>;

/** One value of a form field: absent, empty (the spec: same as absent) or a string given once. */
function text(form: Form, name: string, problems: Open311ErrorEntry[]): string | null {
  const value = form[name];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') {
    problems.push({ code: 400, description: `${name} must be given once, as text` });
    return null;
  }
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function coordinate(
  raw: string | null,
  name: string,
  limit: number,
  problems: Open311ErrorEntry[],
) {
  if (raw === null) return null;
  const value = /^-?\d{1,3}(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(value) || Math.abs(value) > limit) {
    problems.push({
      code: 400,
      description: `${name} must be a WGS84 decimal degree (-${limit} to ${limit})`,
    });
    return null;
  }
  return value;
}

/**
 * Reads a POST requests form (application/x-www-form-urlencoded) against the spec's argument
 * table: 400 for a missing or malformed argument, 404 for a service_code or jurisdiction_id this
 * server does not know. Every problem is named at once; none echoes a value.
 */
export function parsePost(
  form: Form,
  categories: Category[],
  isState: (code: string) => boolean,
): Open311Post {
  const problems: Open311ErrorEntry[] = [];
  const notFound: Open311ErrorEntry[] = [];
  const serviceCode = text(form, 'service_code', problems);
  const category = serviceCode ? categories.find((c) => c.code === serviceCode) : undefined;
  if (!serviceCode) problems.push({ code: 400, description: 'service_code was not provided' });
  else if (!category)
    notFound.push({ code: 404, description: 'service_code was not found (GET services)' });
  const jurisdiction = text(form, 'jurisdiction_id', problems);
  if (jurisdiction && !isState(jurisdiction))
    notFound.push({
      code: 404,
      description: 'jurisdiction_id was not found: send an LGD state code such as 09',
    });

  const lat = coordinate(text(form, 'lat', problems), 'lat', 90, problems);
  const long = coordinate(text(form, 'long', problems), 'long', 180, problems);
  if (
    (lat === null) !== (long === null) &&
    !problems.some((p) => /^(lat|long) /.test(p.description))
  )
    problems.push({ code: 400, description: 'lat and long must be sent together' });
  const addressString = text(form, 'address_string', problems);
  const addressId = text(form, 'address_id', problems);
  if (
    lat === null &&
    long === null &&
    !addressString &&
    !addressId &&
    !problems.some((p) => /^(lat|long) /.test(p.description))
  )
    problems.push({
      code: 400,
      description: 'A location is required: lat and long, address_string or address_id',
    });
  const zipcode = text(form, 'zipcode', problems);
  if (zipcode !== null && !/^[1-9]\d{5}$/.test(zipcode))
    problems.push({ code: 400, description: 'zipcode must be a 6-digit Indian PIN code' });

  const description = text(form, 'description', problems);
  if (!description) problems.push({ code: 400, description: 'description is required' });
  else if (description.length > MAX_DESCRIPTION)
    problems.push({
      code: 400,
      description: `description is limited to ${MAX_DESCRIPTION} characters`,
    });
  const mediaUrl = text(form, 'media_url', problems);
  if (mediaUrl && !/^https?:\/\/[^\s]{1,2040}$/i.test(mediaUrl))
    problems.push({ code: 400, description: 'media_url must be an http(s) URL' });

  const attributes = readAttributes(form.attribute, category, problems);
  const contact = {
    firstName: text(form, 'first_name', problems),
    lastName: text(form, 'last_name', problems),
    phone: text(form, 'phone', problems),
    email: text(form, 'email', problems),
  };
  if (problems.length) throw new Open311Error(400, problems);
  if (notFound.length) throw new Open311Error(404, notFound);
  return {
    category: category!,
    place: { zipcode, lat, long, stateCode: jurisdiction },
    addressString,
    addressId,
    ...contact,
    description,
    mediaUrl,
    attributes,
  };
}

function readAttributes(
  raw: unknown,
  category: Category | undefined,
  problems: Open311ErrorEntry[],
): Record<string, string> {
  if (raw === undefined || raw === '') return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push({ code: 400, description: 'attribute must be sent as attribute[CODE]=value' });
    return {};
  }
  const known = new Set<string>([ATTRIBUTES.subject, ATTRIBUTES.language]);
  if (category?.level === 'central') known.add(ATTRIBUTES.ministry);
  const out: Record<string, string> = {};
  for (const [code, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!known.has(code)) {
      problems.push({
        code: 400,
        description: `attribute[${code.slice(0, 40)}] is not an attribute of this service (GET services/{service_code})`,
      });
    } else if (typeof value !== 'string') {
      problems.push({ code: 400, description: `attribute[${code}] takes one value` });
    } else if (value.trim() !== '') out[code] = value.trim();
  }
  return out;
}

/** The first line of the description, cut at a word within 200 characters. */
export function subjectOf(post: Open311Post): string {
  const given = post.attributes[ATTRIBUTES.subject];
  if (given) return given;
  const line = (post.description ?? '').split(/\r?\n/)[0].trim();
  if (line.length < 5) return post.category.label.en.slice(0, 200);
  if (line.length <= 200) return line;
  const cut = line.slice(0, 199);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 100 ? cut.lastIndexOf(' ') : 199)}…`;
}

/**
 * The native intake body (CreateComplaintDto) for a parsed Open311 request and its place. The
 * intake's own validation then runs over it; consent is the partner app's declaration, recorded
 * with the grievance (partner_app_id).
 */
export function toNativeComplaint(post: Open311Post, place: Place): Record<string, unknown> {
  const name = [post.firstName, post.lastName].filter(Boolean).join(' ');
  const address =
    post.addressString ??
    (post.addressId
      ? `Address id ${post.addressId}`
      : `Near ${post.place.lat}, ${post.place.long} (WGS84)`);
  const description = post.mediaUrl
    ? `${post.description}\n\nPhoto: ${post.mediaUrl}`
    : post.description;
  return {
    complainant: {
      name: name || undefined,
      mobile: post.phone ?? undefined,
      email: post.email ?? undefined,
      language: post.attributes[ATTRIBUTES.language] ?? undefined,
    },
    subject: subjectOf(post),
    description,
    category: post.category.code,
    location: {
      stateCode: place.stateCode,
      districtCode: place.districtCode,
      pincode: place.pincode,
      address,
    },
    ministryCode: post.attributes[ATTRIBUTES.ministry] ?? null,
    consent: true,
  };
}
