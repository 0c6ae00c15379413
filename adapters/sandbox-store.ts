import { existsSync, readFileSync, writeFileSync } from 'node:fs';
/** One native status a sandbox grievance passed through (the feed a pull portal serves). */
export interface SandboxStatusChange {
  /**
   * Position in the sandbox's feed. Starts from the clock at start-up, so a restarted sandbox
   * never hands out a position (or an event id) it handed out before.
   */
  seq: number;
  externalRef: string;
  nativeStatus: string;
  at: string;
  remarks?: string;
  transferredTo?: string;
}

export interface SandboxRegistration {
  externalRef: string;
  clientRef: string;
  receivedAt: string;
  /** The request body exactly as the portal received it. */
  body: unknown;
  nativeStatus: string;
  history: SandboxStatusChange[];
  reminders: string[];
  appeals: { ref: string; reason: string; at: string }[];
}

export interface StatusDetails {
  remarks?: string;
  transferredTo?: string;
  at?: Date;
}

/**
 * What a sandbox portal remembers. Deliberately naive: no de-duplication by client reference,
 * so a hub that submits twice is caught by countByClientRef.
 */
export class RegistrationStore {
  private records: SandboxRegistration[] = [];
  private feed: SandboxStatusChange[] = [];
  // Never reset: a real portal never hands out a number (or an event id) twice.
  private serial: number;
  private feedSeq = Date.now();
  private readonly listeners: ((change: SandboxStatusChange) => void)[] = [];

  /** Called after every status change (the sandbox's officers and its push hook listen). */
  onChange(listener: (change: SandboxStatusChange) => void): void {
    this.listeners.push(listener);
  }

  /**
   * @param serialFile where the last reference number is kept, so a restarted sandbox (npm start
   *   against the same database) never registers a grievance under a number the hub already holds.
   */
  constructor(
    private readonly serialFile?: string,
    serialFloor = 0,
  ) {
    const saved =
      serialFile && existsSync(serialFile) ? Number(readFileSync(serialFile, 'utf8')) || 0 : 0;
    this.serial = Math.max(saved, serialFloor);
  }

  nextSerial(): number {
    this.serial += 1;
    if (this.serialFile) writeFileSync(this.serialFile, String(this.serial));
    return this.serial;
  }

  /** Registrations at their current status (the officers' worklist). */
  open(): SandboxRegistration[] {
    return this.records;
  }

  register(input: {
    externalRef: string;
    clientRef: string;
    body: unknown;
    nativeStatus: string;
    at?: Date;
  }) {
    const record: SandboxRegistration = {
      externalRef: input.externalRef,
      clientRef: input.clientRef,
      receivedAt: (input.at ?? new Date()).toISOString(),
      body: input.body,
      nativeStatus: input.nativeStatus,
      history: [],
      reminders: [],
      appeals: [],
    };
    this.records.push(record);
    return record;
  }

  /** The first registration for a client reference (a duplicate, if any, is a later one). */
  byClientRef(clientRef: string): SandboxRegistration | undefined {
    return this.records.find((r) => r.clientRef === clientRef);
  }

  byExternalRef(externalRef: string): SandboxRegistration | undefined {
    return this.records.find((r) => r.externalRef === externalRef);
  }

  countByClientRef(clientRef: string): number {
    return this.records.filter((r) => r.clientRef === clientRef).length;
  }

  all(): SandboxRegistration[] {
    return structuredClone(this.records);
  }

  /** Moves a grievance to a native status and appends it to the feed (officer actions hook here). */
  recordStatus(
    externalRef: string,
    nativeStatus: string,
    details: StatusDetails = {},
  ): SandboxStatusChange {
    const record = this.byExternalRef(externalRef);
    if (!record) throw new Error(`sandbox: no grievance ${externalRef}`);
    const change: SandboxStatusChange = {
      seq: ++this.feedSeq,
      externalRef,
      nativeStatus,
      at: (details.at ?? new Date()).toISOString(),
      ...(details.remarks !== undefined && { remarks: details.remarks }),
      ...(details.transferredTo !== undefined && { transferredTo: details.transferredTo }),
    };
    record.nativeStatus = nativeStatus;
    record.history.push(change);
    this.feed.push(change);
    for (const listener of this.listeners) listener(change);
    return change;
  }

  changesAfter(seq: number, limit: number): SandboxStatusChange[] {
    return this.feed.filter((c) => c.seq > seq).slice(0, limit);
  }

  reset(): void {
    this.records = [];
    this.feed = [];
  }
}
