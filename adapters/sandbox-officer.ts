import type { RegistrationStore, SandboxRegistration, StatusDetails } from './sandbox-store';

/** One officer action: the native status it sets, with the portal's remarks. */
export interface OfficerStep extends Omit<StatusDetails, 'at'> {
  native: string;
}

/** How a portal's officers handle grievances, in its own native statuses. */
export interface OfficerPlan {
  /** The steps for the n-th registration (0-based): vary them so some are rejected or transferred. */
  steps(n: number): OfficerStep[];
  /** Native statuses the portal sets when it receives an appeal, and what its appellate level then does. */
  appealStatuses: string[];
  appealSteps: OfficerStep[];
}

/**
 * Simulated officers for `npm start`: every `stepMs` each grievance with work left moves one
 * step along its script, through the store (so pushes and the polled feed see it). Tests leave
 * officers off and call recordStatus themselves.
 */
export class SandboxOfficers {
  private readonly work = new Map<string, OfficerStep[]>();
  private readonly started = new Set<string>();
  private count = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: RegistrationStore,
    private readonly plan: OfficerPlan,
    private readonly stepMs: number,
  ) {
    store.onChange((change) => {
      if (
        this.plan.appealStatuses.includes(change.nativeStatus) &&
        !this.work.get(change.externalRef)?.length
      ) {
        this.work.set(change.externalRef, [...this.plan.appealSteps]);
      }
    });
  }

  start(): void {
    if (this.stepMs <= 0 || this.timer) return;
    this.timer = setInterval(() => this.tick(), this.stepMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  reset(): void {
    this.work.clear();
    this.started.clear();
  }

  /** One round: new registrations get their script, every grievance with work left moves a step. */
  tick(): void {
    for (const r of this.store.open()) this.assign(r);
    for (const [externalRef, steps] of this.work) {
      const step = steps.shift();
      if (!step) continue;
      const { native, ...details } = step;
      this.store.recordStatus(externalRef, native, details);
    }
  }

  private assign(r: SandboxRegistration): void {
    if (this.started.has(r.externalRef)) return;
    this.started.add(r.externalRef);
    this.work.set(r.externalRef, this.plan.steps(this.count++));
  }
}
