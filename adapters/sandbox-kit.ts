import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { matchRoute, readBody, send } from './sandbox-http';
import type { AddressInfo, Socket } from 'node:net';
import { FaultState, validateFaultPlan, type Fault, type FaultPlan } from './sandbox-faults';
import { SandboxOfficers, type OfficerPlan } from './sandbox-officer';
import { SandboxPusher, type PushResult, type PushTarget } from './sandbox-push';
import {
  RegistrationStore,
  type SandboxRegistration,
  type SandboxStatusChange,
  type StatusDetails,
} from './sandbox-store';

export type { Fault, FaultPlan, PushFault } from './sandbox-faults';
export type { OfficerPlan, OfficerStep } from './sandbox-officer';
export type { PushResult, PushTarget } from './sandbox-push';
export type { SandboxRegistration, SandboxStatusChange, StatusDetails } from './sandbox-store';

export interface SandboxOptions {
  /** The portal's `options` from config/portals.yaml, for a sandbox that follows them (state-portal-rest). */
  portalOptions?: Record<string, unknown>;
  port?: number;
  host?: string;
  /** The header every portal call must carry; none → the sandbox accepts any caller. */
  credential?: { header: string; value: string } | null;
  /** Where to push signed status updates; `auto` pushes every status change as it happens. */
  push?: (PushTarget & { auto?: boolean }) | null;
  /** Simulated officers move grievances every this many ms (npm start); 0 or unset: off. */
  officerStepMs?: number;
  /** A file keeping the last reference number across restarts (npm start); unset: from 1. */
  serialFile?: string;
  /** Numbers up to this one are taken (the hub's database already holds them); default 0. */
  serialFloor?: number;
}

export interface SandboxPortal {
  readonly url: string;
  readonly portalKind: string;
  registrations(): SandboxRegistration[];
  countByClientRef(clientRef: string): number;
  /** Also over HTTP: POST /__sandbox/faults. */
  injectFaults(plan: FaultPlan): void;
  /** Moves a registered grievance to a native status (the hook for simulated officers). */
  recordStatus(
    externalRef: string,
    nativeStatus: string,
    details?: StatusDetails,
  ): SandboxStatusChange;
  /** Sets (or clears) where status updates are pushed; `auto` pushes each change as it happens. */
  configurePush(target: PushTarget | null, opts?: { auto?: boolean }): void;
  /** Pushes these changes now, signed, as one event or one batch; resolves with the hub's answer. */
  pushChanges(changes: SandboxStatusChange | SandboxStatusChange[]): Promise<PushResult>;
  /** The event id a change is pushed and polled under. */
  eventId(change: SandboxStatusChange): string;
  reset(): void;
  close(): Promise<void>;
}

export interface SandboxRequest {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

export interface SandboxReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface SandboxRoute {
  method: 'GET' | 'POST';
  /** '/api/v1/grievances/:regNo/appeal' — ':name' captures one URL-decoded segment. */
  path: string;
  /** Submit routes consume the fault plan's `next` faults. */
  submit?: boolean;
  handle(req: SandboxRequest, store: RegistrationStore): SandboxReply;
}

export interface SandboxDefinition {
  kind: string;
  routes: SandboxRoute[];
  /** The portal's own error envelope; `path`: the request's, for a portal whose format follows it. */
  error(status: number, message: string, path?: string): unknown;
  /** Reads a request body (default: JSON); throws with the portal's message when it cannot. */
  parseBody?(raw: string, contentType: string | undefined): unknown;
  /**
   * Whether the caller holds `credential` (default: its header). Given, it is asked once the body
   * is read (a portal that takes its key in a form field), and refuses with `credentialStatus`.
   */
  authorized?(req: SandboxRequest, credential: { header: string; value: string }): boolean;
  /** The status a missing or wrong credential gets (default 401). */
  credentialStatus?: number;
  /** The portal's message for an injected http-400: a realistic validation failure. */
  validationFaultMessage: string;
  /** How the portal's officers work the grievances (npm start). */
  officers?: OfficerPlan;
  /** The id a status change carries in pushes (and in the portal's own feed); default EVT-<seq>. */
  eventId?: (change: SandboxStatusChange) => string;
}

/** Runs a sandbox portal on plain node:http: control endpoints, credential, faults, routes. */
export function startSandboxServer(
  def: SandboxDefinition,
  opts: SandboxOptions = {},
): Promise<SandboxPortal> {
  const store = new RegistrationStore(opts.serialFile, opts.serialFloor);
  const faults = new FaultState();
  const pusher = new SandboxPusher(def.eventId ?? ((c) => `EVT-${c.seq}`));
  let autoPush = Boolean(opts.push?.auto);
  if (opts.push) pusher.setTarget(opts.push);
  store.onChange((change) => {
    if (autoPush && pusher.configured) pusher.auto(change);
  });
  const officers = def.officers
    ? new SandboxOfficers(store, def.officers, opts.officerStepMs ?? 0)
    : null;
  officers?.start();
  const sockets = new Set<Socket>();
  const holds = new Set<() => void>();
  let path = '';
  const err = (
    status: number,
    message: string,
    headers?: Record<string, string>,
  ): SandboxReply => ({
    status,
    body: def.error(status, message, path),
    headers,
  });

  const hold = (ms: number) =>
    new Promise<void>((resolve) => {
      const release = () => {
        clearTimeout(timer);
        holds.delete(release);
        resolve();
      };
      const timer = setTimeout(release, ms);
      holds.add(release);
    });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    path = url.pathname;
    const raw = await readBody(req);
    if (url.pathname.startsWith('/__sandbox/'))
      return send(res, control(req.method ?? 'GET', url.pathname, raw));
    if (faults.latencyMs > 0) await hold(faults.latencyMs);
    if (faults.down) return send(res, err(503, 'Service temporarily unavailable'));
    const credential = opts.credential;
    const refused = () =>
      err(def.credentialStatus ?? 401, `Missing or invalid ${credential?.header ?? 'credential'}`);
    if (
      credential &&
      !def.authorized &&
      req.headers[credential.header.toLowerCase()] !== credential.value
    ) {
      return send(res, refused());
    }
    const found = matchRoute(def.routes, req.method ?? 'GET', url.pathname);
    if (!found) return send(res, err(404, `No such endpoint: ${req.method} ${url.pathname}`));
    if (raw === null) return send(res, err(413, 'Request body too large'));
    let body: unknown;
    try {
      body = !raw.length
        ? undefined
        : def.parseBody
          ? def.parseBody(raw, req.headers['content-type'])
          : JSON.parse(raw);
    } catch (error) {
      return send(
        res,
        err(400, def.parseBody ? (error as Error).message : 'Request body is not valid JSON'),
      );
    }
    const request: SandboxRequest = {
      method: req.method ?? 'GET',
      params: found.params,
      query: url.searchParams,
      body,
    };
    if (credential && def.authorized && !def.authorized(request, credential))
      return send(res, refused());
    const fault: Fault = found.route.submit ? faults.takeSubmitFault() : 'ok';
    switch (fault) {
      case 'ok':
        return send(res, found.route.handle(request, store));
      case 'http-503':
        return send(res, err(503, 'Service temporarily unavailable, please try later'));
      case 'http-500':
        return send(res, err(500, 'Internal server error'));
      case 'http-429':
        return send(res, err(429, 'Too many requests', { 'Retry-After': '1' }));
      case 'http-400':
        return send(res, err(400, def.validationFaultMessage));
      case 'drop-connection':
        req.socket.destroy();
        return;
      case 'timeout-before-accept':
        await hold(faults.hangMs);
        req.socket.destroy();
        return;
      case 'timeout-after-accept': {
        const reply = found.route.handle(request, store);
        await hold(faults.hangMs);
        return send(res, reply);
      }
    }
  }

  function control(method: string, path: string, raw: string | null): SandboxReply {
    if (method === 'GET' && path === '/__sandbox/registrations')
      return { status: 200, body: store.all() };
    if (method === 'POST' && path === '/__sandbox/reset') {
      portal.reset();
      return { status: 204 };
    }
    if (method === 'POST' && path === '/__sandbox/faults') {
      let plan: unknown;
      try {
        plan = JSON.parse(raw || '{}');
      } catch {
        return { status: 400, body: { message: 'fault plan is not valid JSON' } };
      }
      const problem = validateFaultPlan(plan);
      if (problem) return { status: 400, body: { message: problem } };
      portal.injectFaults(plan as FaultPlan);
      return { status: 204 };
    }
    return { status: 404, body: { message: 'unknown sandbox control endpoint' } };
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, err(500, 'Internal server error')));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const host = opts.host ?? '127.0.0.1';
  const portal: SandboxPortal = {
    get url() {
      const { port } = server.address() as AddressInfo;
      return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    },
    portalKind: def.kind,
    registrations: () => store.all(),
    countByClientRef: (clientRef) => store.countByClientRef(clientRef),
    injectFaults: (plan) => {
      faults.inject(plan);
      pusher.injectFaults(plan.push ?? [], plan.pushDelayMs);
    },
    recordStatus: (externalRef, nativeStatus, details) =>
      store.recordStatus(externalRef, nativeStatus, details),
    configurePush: (target, pushOpts) => {
      pusher.setTarget(target);
      autoPush = Boolean(pushOpts?.auto);
    },
    pushChanges: (changes) => pusher.send(Array.isArray(changes) ? changes : [changes]),
    eventId: (change) => pusher.eventId(change),
    reset: () => {
      store.reset();
      faults.reset();
      pusher.reset();
      officers?.reset();
    },
    close: () =>
      new Promise<void>((resolve) => {
        officers?.stop();
        pusher.close();
        server.close(() => resolve());
        for (const release of [...holds]) release();
        for (const socket of sockets) socket.destroy();
      }),
  };

  return new Promise((resolve, reject) => {
    server.once('error', (e: Error) =>
      reject(
        new Error(
          `${def.kind} sandbox could not listen on ${host}:${opts.port ?? 0}: ${e.message}`,
        ),
      ),
    );
    server.listen(opts.port ?? 0, host, () => resolve(portal));
  });
}
