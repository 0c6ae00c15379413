import { z } from 'zod';
import { CANONICAL_STATUSES } from '../adapter';
import { isSafeDotPath } from '../dot-path';
import { HUB_ONLY_STATUSES } from '../status-map';
import { OUTBOUND_PATHS } from './field-mapping';

const path = (placeholder?: string) =>
  z
    .string()
    .regex(/^\/\S*$/, 'must be a path starting with "/"')
    .refine((p) => !placeholder || p.includes(`{${placeholder}}`), `must contain {${placeholder}}`);
const dotPath = z.string().refine(isSafeDotPath, 'must be a dot path such as "applicant.mobile"');
const portalStatus = z
  .enum(CANONICAL_STATUSES)
  .refine(
    (s) => !HUB_ONLY_STATUSES.includes(s),
    `only the hub sets ${HUB_ONLY_STATUSES.join(', ')}`,
  );

/** Where to read a pull portal's status changes; defaults follow the hub's own push format. */
const updateFields = z.strictObject({
  events: dotPath.default('events'),
  next: dotPath.default('next'),
  eventId: dotPath.default('eventId'),
  externalRef: dotPath.default('externalRef'),
  status: dotPath.default('status'),
  occurredAt: dotPath.default('occurredAt'),
  remarks: dotPath.default('remarks'),
  transferredTo: dotPath.default('transferredTo'),
});

export const statePortalOptionsSchema = z
  .strictObject({
    submitPath: path(),
    /** Omitted: the portal cannot be asked; its entry must then say `lookup: none`. */
    lookupPath: path('clientRef').optional(),
    healthPath: path(),
    reminderPath: path('externalRef').optional(),
    appealPath: path('externalRef').optional(),
    updatesPath: path().optional(),
    /** Query parameter carrying the cursor on updatesPath. */
    updatesCursorParam: z.string().min(1).default('since'),
    updateFields: updateFields.default(() => updateFields.parse({})),
    /** Gone with contract v2: refused with a pointer rather than silently ignored. */
    push: z
      .never({ error: 'is no longer an option: a pushing portal says mode: push in its entry' })
      .optional(),
    /** Portal field (dot path) → hub OutboundGrievance field (dot path). */
    fieldMap: z.record(dotPath, z.enum(OUTBOUND_PATHS)),
    /** Portal field → fixed value, e.g. the source system name the portal asks for. */
    constants: z.record(dotPath, z.union([z.string(), z.number(), z.boolean()])).default({}),
    /** Hub category → portal category / department code. */
    categoryMap: z.record(z.string(), z.string().min(1)).optional(),
    /** Portal code for a hub category missing from categoryMap; without it such a grievance is refused. */
    defaultCategory: z.string().min(1).optional(),
    referenceField: dotPath,
    acceptedAtField: dotPath.optional(),
    /** Where lookup's answer holds the reference, when not at referenceField. */
    lookupReferenceField: dotPath.optional(),
    appealReasonField: dotPath.default('reason'),
    appealReferenceField: dotPath.optional(),
    errorMessageField: dotPath.optional(),
    statusMap: z.record(z.string().min(1), portalStatus),
  })
  .superRefine((o, ctx) => {
    if (o.lookupPath && !Object.values(o.fieldMap).includes('clientRef')) {
      ctx.addIssue({
        code: 'custom',
        path: ['fieldMap'],
        message: 'must send clientRef (lookup depends on it)',
      });
    }
    const fields = [...Object.keys(o.fieldMap), ...Object.keys(o.constants)];
    for (const field of fields) {
      const clash = fields.find((other) => other !== field && other.startsWith(`${field}.`));
      if (clash)
        ctx.addIssue({
          code: 'custom',
          path: ['fieldMap', field],
          message: `clashes with "${clash}"`,
        });
    }
    for (const field of Object.keys(o.constants)) {
      if (field in o.fieldMap)
        ctx.addIssue({
          code: 'custom',
          path: ['constants', field],
          message: 'is also in fieldMap',
        });
    }
  });

export type StatePortalOptions = z.infer<typeof statePortalOptionsSchema>;
