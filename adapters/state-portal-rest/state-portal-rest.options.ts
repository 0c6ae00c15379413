import { z } from 'zod';
import { CANONICAL_STATUSES } from '../adapter';
import { isSafeDotPath } from '../dot-path';
import { secretRefSchema } from '../secret-ref';
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

/**
 * How the portal authenticates us (adapters/portal-auth.ts). Secrets are references
 * (adapters/secret-ref.ts), resolved when the hub starts. Without `auth`: the entry's credential
 * in its header.
 */
const auth = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('static-key'),
      in: z.enum(['header', 'query', 'body']),
      /** Header, query parameter or body field (dot path) carrying the key. */
      name: z.string().min(1),
      /** Default: the entry's credential value. */
      value: secretRefSchema.optional(),
    }),
    z.strictObject({
      type: z.literal('oauth2-client-credentials'),
      tokenUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
      clientId: z.string().min(1),
      clientSecret: secretRefSchema,
      scope: z.string().min(1).optional(),
    }),
    z.strictObject({
      type: z.literal('hmac'),
      secret: secretRefSchema,
      keyId: z.string().min(1).optional(),
      signatureHeader: z.string().min(1).optional(),
      timestampHeader: z.string().min(1).optional(),
      keyIdHeader: z.string().min(1).optional(),
    }),
  ],
  { error: 'must have type static-key, oauth2-client-credentials or hmac' },
);

export const statePortalOptionsSchema = z
  .strictObject({
    /** How request bodies are encoded. */
    format: z.enum(['json', 'form', 'xml']).default('json'),
    /** Root element of an XML body. */
    xmlRoot: z
      .string()
      .regex(/^[A-Za-z_][\w.-]*$/, 'must be an XML element name')
      .optional(),
    auth: auth.optional(),
    /** Mutual TLS: the client certificate and key (PEM), each a secret reference. */
    tls: z
      .strictObject({
        cert: secretRefSchema,
        key: secretRefSchema,
        ca: secretRefSchema.optional(),
        passphrase: secretRefSchema.optional(),
      })
      .optional(),
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
