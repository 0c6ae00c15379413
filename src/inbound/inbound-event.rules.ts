import { z } from 'zod';
import {
  UnknownNativeStatusError,
  type CanonicalStatus,
  type StatusUpdate,
} from '../../adapters/adapter';
import type { FieldError } from '../platform/errors/domain-error';
import {
  CONTROL_CHARACTER,
  hiddenCharacterProblem,
} from '../platform/validation/no-hidden-characters';
import { refusal } from '../lifecycle/lifecycle.rules';

export const MAX_BATCH = 500;

/** One event of a push as the hub's contract defines it (DESIGN: Portals). */
export const hubEvent = z.strictObject({
  eventId: z.string().trim().min(1).max(200),
  externalRef: z.string().trim().min(1).max(200),
  status: z.string().trim().min(1).max(200),
  occurredAt: z.iso.datetime({ offset: true }),
  remarks: z.string().max(4000).nullish(),
  transferredTo: z.string().max(200).nullish(),
});

export type EventProblemCode =
  | 'invalid-event'
  | 'unknown-status'
  | 'unknown-external-ref'
  | 'closure-without-remarks'
  | 'transfer-without-target'
  | 'occurred-before-lodging'
  | 'occurred-in-future';

export type Candidate =
  | { ok: true; update: StatusUpdate }
  | { ok: false; eventId: string | null; code: EventProblemCode; detail: string };

/** `{ events: [...] }` is a batch; any other object is one event. */
export function splitEnvelope(
  body: unknown,
): { ok: true; items: unknown[]; batch: boolean } | { ok: false; errors: FieldError[] } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return {
      ok: false,
      errors: [{ path: '', message: 'expected one event or { events: [...] }' }],
    };
  }
  if (!('events' in body)) return { ok: true, items: [body], batch: false };
  const { events, ...rest } = body as { events: unknown };
  const extra = Object.keys(rest);
  if (extra.length > 0) {
    return { ok: false, errors: extra.map((k) => ({ path: k, message: 'unknown field' })) };
  }
  if (!Array.isArray(events) || events.length === 0 || events.length > MAX_BATCH) {
    return {
      ok: false,
      errors: [{ path: 'events', message: `expected an array of 1–${MAX_BATCH} events` }],
    };
  }
  return { ok: true, items: events, batch: true };
}

/** A pushed event in the hub's format, its native status mapped through the adapter's table. */
export function parseHubEvent(
  item: unknown,
  mapStatus: (native: string) => CanonicalStatus,
): Candidate {
  const parsed = hubEvent.safeParse(item);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const eventId =
      item &&
      typeof item === 'object' &&
      typeof (item as { eventId?: unknown }).eventId === 'string'
        ? (item as { eventId: string }).eventId
        : null;
    return {
      ok: false,
      eventId,
      code: 'invalid-event',
      detail: `${first.path.join('.') || 'event'}: ${first.message}`,
    };
  }
  const e = parsed.data;
  let status: CanonicalStatus;
  try {
    status = mapStatus(e.status);
  } catch (error) {
    if (!(error instanceof UnknownNativeStatusError)) throw error;
    return {
      ok: false,
      eventId: e.eventId,
      code: 'unknown-status',
      detail: `unknown native status "${e.status.slice(0, 100)}"`,
    };
  }
  return {
    ok: true,
    update: {
      eventId: e.eventId,
      externalRef: e.externalRef,
      status,
      nativeStatus: e.status,
      occurredAt: new Date(e.occurredAt).toISOString(),
      ...(e.remarks?.trim() && { remarks: e.remarks.trim() }),
      ...(e.transferredTo?.trim() && { transferredTo: e.transferredTo.trim() }),
      raw: item,
    },
  };
}

/** Honest closure and named transfers, refused at intake whatever the grievance's state. */
export function checkHonest(update: StatusUpdate): Candidate {
  const refused = refusal(update);
  if (!refused) return { ok: true, update };
  return { ok: false, eventId: update.eventId, code: refused.code, detail: refused.message };
}

/** What an event's `occurredAt` must lie between. */
export interface EventBounds {
  /**
   * The grievance's lodging at the hub: nothing at a portal happens before it. Null while the
   * reference is unknown (a waiting polled event): checked when the event is released.
   */
  lodgedAt: Date | null;
  /** When the hub received the event (push) or fetched it (poll). */
  receivedAt: Date;
  /** How far ahead of the hub's clock a portal's may run: the signature's skew. */
  maxSkewMs: number;
}

// Every text of an event: the citizen reads remarks and the transfer target on the timeline, and
// PostgreSQL refuses a NUL in any of them (checked before the references are looked up).
const TEXT_FIELDS = ['eventId', 'externalRef', 'nativeStatus', 'remarks', 'transferredTo'] as const;

// A NUL or an unpaired surrogate escaped in JSON text (an odd number of backslashes before u0000
// or ud800-udfff; JSON.stringify writes paired surrogates as characters, lone ones as escapes):
// the raw payload is kept as jsonb, which refuses both, and an event that cannot be stored would
// fail its whole push (500) or stall the poller's feed.
const JSON_UNSTORABLE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f][0-9a-f]{2})/;
// In u-mode a pair is one code point: only an unpaired surrogate is \p{Cs}.
const LONE_SURROGATE = /\p{Cs}/u;

// What the citizen reads on the timeline: no hidden or direction-changing characters either.
const READ_BY_CITIZENS = new Set<string>(['remarks', 'transferredTo']);

function textProblem(field: (typeof TEXT_FIELDS)[number], text: string): string | null {
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode (an unpaired surrogate)';
  if (READ_BY_CITIZENS.has(field)) return hiddenCharacterProblem(text);
  return CONTROL_CHARACTER.test(text) ? 'must not contain control characters' : null;
}

/**
 * Refuses an event carrying control characters (other than tab and line breaks) in any text, or
 * invisible or direction-changing characters in text the citizen reads (the citizens' own rule).
 */
export function checkText(update: StatusUpdate): Candidate {
  let problem: string | null = null;
  const field = TEXT_FIELDS.find((f) => (problem = textProblem(f, update[f] ?? '')) !== null);
  if (!field && !JSON_UNSTORABLE.test(JSON.stringify(update.raw ?? null)))
    return { ok: true, update };
  return {
    ok: false,
    // An eventId with control characters is not echoed back.
    eventId: field === 'eventId' ? null : update.eventId,
    code: 'invalid-event',
    detail: field
      ? `${field === 'nativeStatus' ? 'status' : field}: ${problem}`
      : "the portal's payload must not contain NUL characters or unpaired surrogates",
  };
}

/**
 * Whether an event may be stored, whatever the grievance's state: honest closure, and a time
 * that can be true (portal times are input, not truth: no deadline, appeal window or SLA figure
 * may rest on 2000-01-01 or 2099-01-01).
 */
export function checkStorable(update: StatusUpdate, bounds: EventBounds): Candidate {
  const honest = checkHonest(update);
  if (!honest.ok) return honest;
  const refuse = (code: EventProblemCode, detail: string): Candidate => ({
    ok: false,
    eventId: update.eventId,
    code,
    detail,
  });
  const at = Date.parse(update.occurredAt);
  if (Number.isNaN(at)) return refuse('invalid-event', 'occurredAt: not a date');
  const iso = new Date(at).toISOString();
  if (bounds.lodgedAt && at < bounds.lodgedAt.getTime()) {
    const lodged = bounds.lodgedAt.toISOString();
    return refuse(
      'occurred-before-lodging',
      `occurredAt ${iso} is before the grievance was lodged (${lodged})`,
    );
  }
  const latest = bounds.receivedAt.getTime() + bounds.maxSkewMs;
  if (at > latest) {
    const skew = Math.round(bounds.maxSkewMs / 1000);
    return refuse(
      'occurred-in-future',
      `occurredAt ${iso} is more than ${skew} s ahead of the hub's clock (${bounds.receivedAt.toISOString()})`,
    );
  }
  return honest;
}

/** Later copies of an eventId inside one request are duplicates of the first. */
export function firstOccurrences(candidates: Candidate[]): Set<number> {
  const seen = new Set<string>();
  const first = new Set<number>();
  candidates.forEach((c, i) => {
    if (!c.ok || seen.has(c.update.eventId)) return;
    seen.add(c.update.eventId);
    first.add(i);
  });
  return first;
}
