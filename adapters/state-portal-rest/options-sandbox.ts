import type { CanonicalStatus } from '../adapter';
import { readPath, writePath } from '../dot-path';
import {
  startSandboxServer,
  type SandboxOptions,
  type SandboxPortal,
  type SandboxReply,
  type SandboxRoute,
} from '../sandbox-kit';
import { portalRoutes } from '../sandbox-routes';
import type { SandboxRegistration } from '../sandbox-store';
import { isText, type FieldRule } from '../sandbox-validation';
import { statePortalOptionsSchema, type StatePortalOptions } from './state-portal-rest.options';

// Hub fields a grievance may lack; every other mapped field is required by the sandbox.
const OPTIONAL_HUB_FIELDS = new Set(['complainant.email', 'location.districtCode', 'ministryCode']);

/** `{name}` placeholders → the kit's `:name` segments; a query part split off. */
function route(template: string): { path: string; query: URLSearchParams } {
  const [path, query = ''] = template.split('?');
  return { path: path.replace(/\{(\w+)\}/g, ':$1'), query: new URLSearchParams(query) };
}

const nativeFor = (o: StatePortalOptions, ...wanted: CanonicalStatus[]) =>
  Object.keys(o.statusMap).filter((n) => wanted.includes(o.statusMap[n]));

/**
 * A sandbox for any state-portal-rest portal, built from that portal's own options: its paths,
 * where it carries our client reference, where it answers its reference, its error field and
 * status names. It validates only that every mapped field is present (a real portal's rules
 * live in a hand-written sandbox such as Aaple Sarkar's). No updates feed: push portals only.
 */
export function startOptionsSandbox(
  rawOptions: Record<string, unknown>,
  opts: SandboxOptions = {},
): Promise<SandboxPortal> {
  const o = statePortalOptionsSchema.parse(rawOptions);
  const error = (_status: number, message: string) =>
    o.errorMessageField ? at(o.errorMessageField, message) : { message };
  const routes = portalRoutes({
    error,
    notFound: () => ({ status: 404, body: error(404, 'Not found') }),
  });
  const answer = (field: string, r: SandboxRegistration): SandboxReply => {
    const body = at(field, r.externalRef);
    if (o.acceptedAtField) writePath(body, o.acceptedAtField, r.receivedAt);
    return { status: 200, body };
  };
  const clientRefField = Object.keys(o.fieldMap).find((k) => o.fieldMap[k] === 'clientRef');
  const rules: FieldRule[] = Object.entries(o.fieldMap).map(([field, hub]) => ({
    path: field,
    optional: OPTIONAL_HUB_FIELDS.has(hub),
    test: isText(1, 5000),
    message: 'must be 1–5000 characters',
  }));
  const list: SandboxRoute[] = [
    routes.register<Record<string, unknown>>({
      path: o.submitPath,
      rules,
      clientRef: (b) => (clientRefField ? String(readPath(b, clientRefField)) : ''),
      externalRef: (_b, serial, when) =>
        `SP/${when.getFullYear()}/${String(serial).padStart(6, '0')}`,
      initialStatus: nativeFor(o, 'DELIVERED')[0] ?? Object.keys(o.statusMap)[0],
      reply: (r) => answer(o.referenceField, r),
    }),
    { method: 'GET', path: route(o.healthPath).path, handle: () => ({ status: 200, body: {} }) },
  ];
  if (o.lookupPath) {
    const { path, query } = route(o.lookupPath);
    const param = [...query].find(([, v]) => v === '{clientRef}')?.[0];
    list.push(
      routes.lookup({
        path,
        from: param ? { query: param } : { param: 'clientRef' },
        reply: (r) => answer(o.lookupReferenceField ?? o.referenceField, r),
      }),
    );
  }
  if (o.reminderPath) {
    list.push(
      routes.reminder({
        path: route(o.reminderPath).path,
        reply: () => ({ status: 200, body: {} }),
      }),
    );
  }
  const appealStatus = nativeFor(o, 'APPEALED')[0];
  if (o.appealPath && appealStatus) {
    list.push(
      routes.appeal({
        path: route(o.appealPath).path,
        reasonField: o.appealReasonField,
        allowedAfter: nativeFor(o, 'RESOLVED', 'REJECTED', 'CLOSED'),
        notAllowed: 'An appeal is allowed only after disposal',
        appealStatus,
        appealRef: (r) => `${r.externalRef}/A${r.appeals.length + 1}`,
        reply: (_r, ref) => ({
          status: 200,
          body: at(o.appealReferenceField ?? o.referenceField, ref),
        }),
      }),
    );
  }
  const [working] = nativeFor(o, 'IN_PROGRESS');
  const [resolved] = nativeFor(o, 'RESOLVED');
  return startSandboxServer(
    {
      kind: 'state-portal-rest',
      routes: list,
      error,
      validationFaultMessage: 'pincode does not belong to the selected district',
      ...(working &&
        resolved && {
          officers: {
            steps: () => [{ native: working }, { native: resolved, remarks: 'Work completed.' }],
            appealStatuses: appealStatus ? [appealStatus] : [],
            appealSteps: [{ native: resolved, remarks: 'Appeal heard; work completed.' }],
          },
        }),
    },
    opts,
  );
}

function at(field: string, value: unknown): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  writePath(body, field, value);
  return body;
}
