import { createHmac } from 'node:crypto';
import type { PushFault } from './sandbox-faults';
import type { SandboxStatusChange } from './sandbox-store';

/** Where a push portal sends its signed status updates (the hub's portal endpoint). */
export interface PushTarget {
  hubUrl: string;
  portalCode: string;
  secret: string;
}

export interface PushResult {
  status: number;
  body: unknown;
}

const RETRIES = 5;

/**
 * The portal side of status pushes: the hub's JSON format, signed with HMAC-SHA256 over
 * `timestamp + "." + body` (written here independently of the hub's verifier, as a portal
 * would). Automatic pushes take push faults one per change: drop, duplicate, reorder (held and
 * sent after the next one), delay.
 */
export class SandboxPusher {
  private target: PushTarget | null = null;
  private faults: PushFault[] = [];
  private delayMs = 2_000;
  /** Changes held back by 'reorder' faults, sent after the next change that goes out. */
  private held: SandboxStatusChange[] = [];
  /** Delayed pushes and retry waits, each with what ends it early (reset() calls that). */
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  /** Automatic pushes not finished yet: sending, waiting to retry, or delayed. */
  private readonly pending = new Set<Promise<void>>();
  /** Bumped by reset(): pushes started before it stop retrying. */
  private generation = 0;

  constructor(private readonly eventIdOf: (change: SandboxStatusChange) => string) {}

  setTarget(target: PushTarget | null): void {
    this.target = target;
  }

  get configured(): boolean {
    return this.target !== null;
  }

  injectFaults(faults: PushFault[], delayMs?: number): void {
    this.faults = [...faults];
    if (delayMs !== undefined) this.delayMs = delayMs;
  }

  reset(): void {
    this.faults = [];
    this.held = [];
    this.generation += 1;
    for (const [t, end] of this.timers) {
      clearTimeout(t);
      end();
    }
    this.timers.clear();
  }

  /** Resolves once no automatic push is sending, waiting to retry or delayed. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** The event id a change is pushed (and polled) under: unique across sandbox restarts. */
  eventId(change: SandboxStatusChange): string {
    return this.eventIdOf(change);
  }

  /** Pushes in the background (retrying), applying the next push fault. */
  auto(change: SandboxStatusChange): void {
    const fault = this.faults.shift() ?? 'ok';
    if (fault === 'drop') return;
    if (fault === 'reorder') {
      this.held.push(change);
      return;
    }
    // Reordered: held changes go out after this one, each as a separate push.
    const sends = [[change], ...this.held.map((h) => [h])];
    this.held = [];
    const run = async () => {
      for (const changes of sends) await this.deliver(changes);
    };
    if (fault === 'delay') {
      this.track(this.wait(this.delayMs).then((waited) => (waited ? run() : undefined)));
      return;
    }
    this.track(run().then(() => (fault === 'duplicate' ? run() : undefined)));
  }

  private track(work: Promise<void>): void {
    this.pending.add(work);
    work.finally(() => this.pending.delete(work)).catch(() => undefined);
  }

  /** Resolves true after `ms`, or false as soon as reset() cancels the wait. */
  private wait(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve(true);
      }, ms);
      this.timers.set(timer, () => resolve(false));
    });
  }

  /** One signed POST of these changes (one event, or a batch), answered by the hub. */
  async send(changes: SandboxStatusChange[]): Promise<PushResult> {
    if (!this.target) throw new Error('sandbox: no push target configured');
    const events = changes.map((c) => this.toEvent(c));
    const body = JSON.stringify(events.length === 1 ? events[0] : { events });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', this.target.secret)
      .update(`${timestamp}.${body}`)
      .digest('hex');
    const url = `${this.target.hubUrl}/api/v1/portals/${encodeURIComponent(this.target.portalCode)}/status-updates`;
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Hub-Timestamp': timestamp,
        'X-Hub-Signature': `sha256=${signature}`,
      },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
  }

  close(): void {
    this.reset();
    this.target = null;
  }

  private async deliver(changes: SandboxStatusChange[]): Promise<void> {
    const generation = this.generation;
    for (
      let attempt = 1;
      attempt <= RETRIES && this.target && generation === this.generation;
      attempt++
    ) {
      try {
        const { status } = await this.send(changes);
        if (status < 500 && status !== 429) return; // a 4xx will not get better by retrying
      } catch {
        // hub not up yet, or a network blip: try again
      }
      if (attempt < RETRIES && generation === this.generation) await this.wait(1_000 * attempt);
    }
  }

  private toEvent(c: SandboxStatusChange) {
    return {
      eventId: this.eventId(c),
      externalRef: c.externalRef,
      status: c.nativeStatus,
      occurredAt: c.at,
      ...(c.remarks !== undefined && { remarks: c.remarks }),
      ...(c.transferredTo !== undefined && { transferredTo: c.transferredTo }),
    };
  }
}
