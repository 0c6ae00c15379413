import type { SchemaObject } from '@nestjs/swagger';
import { z } from 'zod';
import { hubEvent, MAX_BATCH } from './inbound-event.rules';

// The documented body is generated from the zod schema that checks it, so the two cannot drift.
const { $schema: _dialect, ...event } = z.toJSONSchema(hubEvent, { io: 'input' }) as SchemaObject &
  Record<string, unknown>;

/** A portal's status push in the hub's format: one event, or `{ events: [...] }`. */
export const STATUS_PUSH_BODY: SchemaObject = {
  oneOf: [
    { ...event, title: 'One event' },
    {
      title: 'A batch',
      type: 'object',
      properties: { events: { type: 'array', minItems: 1, maxItems: MAX_BATCH, items: event } },
      required: ['events'],
      additionalProperties: false,
    },
  ],
};

// Native statuses of UP IGRS, which pushes (its status table: adapters/up-igrs/up-igrs.presets.ts).
const resolved = {
  eventId: 'IGRS-EVT-000123',
  externalRef: 'IGRS/2026/40012345',
  status: 'Disposed',
  occurredAt: '2026-11-26T10:15:00+05:30',
  remarks: 'Streetlights repaired on 25 November.',
};

export const STATUS_PUSH_EXAMPLE = {
  event: { summary: 'One event', value: resolved },
  batch: {
    summary: 'A batch',
    value: {
      events: [
        { ...resolved, eventId: 'IGRS-EVT-000122', status: 'Under Process', remarks: null },
        resolved,
      ],
    },
  },
};

export const STATUS_PUSH_RESULTS = {
  event: { summary: 'One event', value: { eventId: 'IGRS-EVT-000123', result: 'accepted' } },
  batch: {
    summary: 'A batch',
    value: {
      accepted: 1,
      duplicates: 1,
      rejected: 1,
      results: [
        { eventId: 'IGRS-EVT-000122', result: 'duplicate', status: 200 },
        { eventId: 'IGRS-EVT-000123', result: 'accepted', status: 202 },
        {
          eventId: 'IGRS-EVT-000124',
          result: 'rejected',
          status: 422,
          code: 'unknown-status',
          detail: 'unknown native status "Lost"',
        },
      ],
    },
  },
};
