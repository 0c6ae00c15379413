import { readPath } from './dot-path';
import type { SandboxReply, SandboxRoute } from './sandbox-kit';
import type { RegistrationStore, SandboxRegistration } from './sandbox-store';
import { firstInvalidField, isText, type FieldRule } from './sandbox-validation';

/**
 * The request handling every sandbox portal shares: register, look up by client reference,
 * remind, appeal. A portal's sandbox supplies only its contract — paths, field names, numbering,
 * status names and the bodies it answers with — so those stay readable in the portal's folder.
 */
export interface PortalAnswers {
  /** The portal's error envelope (the same function as SandboxDefinition.error). */
  error(status: number, message: string): unknown;
  /** The portal's 404 when no grievance has this client reference or portal number. */
  notFound(ref: string, by: 'clientRef' | 'externalRef'): SandboxReply;
}

export interface RegisterSpec<Body> {
  path: string;
  /** The portal's validation, in the order its validator reports problems. */
  rules: readonly FieldRule[];
  /** Where the request carries the hub's client reference. */
  clientRef(body: Body): string;
  /** The portal's own reference number for a new grievance. */
  externalRef(body: Body, serial: number, at: Date): string;
  /** The native status a new grievance starts in. */
  initialStatus: string;
  reply(r: SandboxRegistration): SandboxReply;
}

export interface LookupSpec {
  path: string;
  /** The client reference comes in this query parameter (a 400 when absent) or path parameter. */
  from: { query: string } | { param: string };
  reply(r: SandboxRegistration): SandboxReply;
}

export interface ReminderSpec {
  /** Must hold exactly one `:param`: the portal's number for the grievance. */
  path: string;
  /** `at` is the reminder's timestamp, as recorded. */
  reply(r: SandboxRegistration, at: string): SandboxReply;
}

export interface AppealSpec {
  /** Must hold exactly one `:param`: the portal's number for the grievance. */
  path: string;
  /** The body field carrying the citizen's reason. */
  reasonField: string;
  /** Native statuses after which an appeal is allowed (a 409 otherwise). */
  allowedAfter: readonly string[];
  /** The portal's 409 message. */
  notAllowed: string;
  /** The native status an accepted appeal moves the grievance to. */
  appealStatus: string;
  /** The portal's reference for the appeal, taken before the appeal is recorded. */
  appealRef(r: SandboxRegistration, store: RegistrationStore, at: Date): string;
  /** Called after the status change, so `r` is already at `appealStatus`. */
  reply(r: SandboxRegistration, appealRef: string, at: Date): SandboxReply;
}

// Every portal played here takes a reason of the same length.
const reasonRule = (field: string): FieldRule[] => [
  { path: field, test: isText(10, 2000), message: 'must be 10–2000 characters' },
];

/** The one `:name` segment of a route path, where the portal's grievance number arrives. */
function refParam(path: string): string {
  const names = path.split('/').filter((part) => part.startsWith(':'));
  if (names.length !== 1) throw new Error(`sandbox route ${path}: expected one :param`);
  return names[0].slice(1);
}

/** Route builders bound to one portal's error envelope and 404. */
export function portalRoutes(answers: PortalAnswers) {
  const invalid = (message: string): SandboxReply => ({
    status: 400,
    body: answers.error(400, message),
  });

  return {
    /** The submit route: consumes injected faults, validates, numbers and stores the grievance. */
    register<Body>(spec: RegisterSpec<Body>): SandboxRoute {
      return {
        method: 'POST',
        path: spec.path,
        submit: true,
        handle: ({ body }, store) => {
          const problem = firstInvalidField(body, spec.rules);
          if (problem) return invalid(problem);
          // The rules above have checked the fields these functions read.
          const b = body as Body;
          const at = new Date();
          const r = store.register({
            externalRef: spec.externalRef(b, store.nextSerial(), at),
            clientRef: spec.clientRef(b),
            body,
            nativeStatus: spec.initialStatus,
            at,
          });
          return spec.reply(r);
        },
      };
    },

    /** Finds the first registration for a client reference (what the hub's `lookup` asks). */
    lookup(spec: LookupSpec): SandboxRoute {
      const { from } = spec;
      const name = 'query' in from ? from.query : from.param;
      return {
        method: 'GET',
        path: spec.path,
        handle: ({ query, params }, store) => {
          const clientRef = 'query' in from ? query.get(name) : params[name];
          if (!clientRef) return invalid(`${name} is required`);
          const r = store.byClientRef(clientRef);
          return r ? spec.reply(r) : answers.notFound(clientRef, 'clientRef');
        },
      };
    },

    reminder(spec: ReminderSpec): SandboxRoute {
      const param = refParam(spec.path);
      return {
        method: 'POST',
        path: spec.path,
        handle: ({ params }, store) => {
          const r = store.byExternalRef(params[param]);
          if (!r) return answers.notFound(params[param], 'externalRef');
          const at = new Date().toISOString();
          r.reminders.push(at);
          return spec.reply(r, at);
        },
      };
    },

    /** Checks the reason and the status, records the appeal and moves the grievance on. */
    appeal(spec: AppealSpec): SandboxRoute {
      const param = refParam(spec.path);
      const rules = reasonRule(spec.reasonField);
      return {
        method: 'POST',
        path: spec.path,
        handle: ({ params, body }, store) => {
          const r = store.byExternalRef(params[param]);
          if (!r) return answers.notFound(params[param], 'externalRef');
          const problem = firstInvalidField(body, rules);
          if (problem) return invalid(problem);
          if (!spec.allowedAfter.includes(r.nativeStatus))
            return { status: 409, body: answers.error(409, spec.notAllowed) };
          const at = new Date();
          const ref = spec.appealRef(r, store, at);
          r.appeals.push({
            ref,
            reason: readPath(body, spec.reasonField) as string,
            at: at.toISOString(),
          });
          store.recordStatus(r.externalRef, spec.appealStatus, { at });
          return spec.reply(r, ref, at);
        },
      };
    },
  };
}
