import { z } from 'zod';
import {
  UnknownNativeStatusError,
  type CanonicalStatus,
  type StatusUpdate,
} from '../../adapters/adapter';
import type { FieldError } from '../platform/errors/domain-error';
import { refusal } from './lifecycle';

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
  | 'transfer-without-target';

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
