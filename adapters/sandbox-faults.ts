export const FAULTS = [
  'ok',
  'http-503',
  'http-500',
  'http-429',
  'http-400',
  'timeout-before-accept',
  'timeout-after-accept',
  'drop-connection',
] as const;
export type Fault = (typeof FAULTS)[number];
export const PUSH_FAULTS = ['ok', 'drop', 'duplicate', 'reorder', 'delay'] as const;
export type PushFault = (typeof PUSH_FAULTS)[number];

export interface FaultPlan {
  /** Consumed one per submit request, then the portal behaves normally. */
  next?: Fault[];
  /** Added before every answer. */
  latencyMs?: number;
  /** Every request gets a 503. */
  down?: boolean;
  /** How long a timeout-* fault holds the response (default 30 000 ms). */
  hangMs?: number;
  /** Consumed one per automatic status push: drop it, send it twice, hold it behind the next, delay it. */
  push?: PushFault[];
  /** How long a `delay` push fault waits (default 2 000 ms). */
  pushDelayMs?: number;
}

const DEFAULT_HANG_MS = 30_000;

/** The fault plan of one sandbox; a new plan replaces the previous one. */
export class FaultState {
  private plan: Required<Omit<FaultPlan, 'push' | 'pushDelayMs'>> = FaultState.empty();

  private static empty(): Required<Omit<FaultPlan, 'push' | 'pushDelayMs'>> {
    return { next: [], latencyMs: 0, down: false, hangMs: DEFAULT_HANG_MS };
  }

  inject(plan: FaultPlan): void {
    const problem = validateFaultPlan(plan);
    if (problem) throw new Error(`sandbox fault plan: ${problem}`);
    const { push: _push, pushDelayMs: _delay, ...submit } = plan;
    this.plan = { ...FaultState.empty(), ...submit, next: [...(plan.next ?? [])] };
  }

  reset(): void {
    this.plan = FaultState.empty();
  }

  takeSubmitFault(): Fault {
    return this.plan.next.shift() ?? 'ok';
  }

  get latencyMs(): number {
    return this.plan.latencyMs;
  }

  get down(): boolean {
    return this.plan.down;
  }

  get hangMs(): number {
    return this.plan.hangMs;
  }
}

export function validateFaultPlan(plan: unknown): string | null {
  if (plan === null || typeof plan !== 'object' || Array.isArray(plan)) return 'must be an object';
  const p = plan as Record<string, unknown>;
  const unknown = Object.keys(p).filter(
    (k) => !['next', 'latencyMs', 'down', 'hangMs', 'push', 'pushDelayMs'].includes(k),
  );
  if (unknown.length) return `unknown field ${unknown[0]}`;
  if (p.next !== undefined) {
    if (!Array.isArray(p.next)) return 'next must be an array';
    const bad = p.next.find((f) => !FAULTS.includes(f as Fault));
    if (bad !== undefined)
      return `unknown fault ${JSON.stringify(bad)} (known: ${FAULTS.join(', ')})`;
  }
  if (p.push !== undefined) {
    if (!Array.isArray(p.push)) return 'push must be an array';
    const bad = p.push.find((f) => !PUSH_FAULTS.includes(f as PushFault));
    if (bad !== undefined)
      return `unknown push fault ${JSON.stringify(bad)} (known: ${PUSH_FAULTS.join(', ')})`;
  }
  for (const key of ['latencyMs', 'hangMs', 'pushDelayMs'] as const) {
    const v = p[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0))
      return `${key} must be a number ≥ 0`;
  }
  if (p.down !== undefined && typeof p.down !== 'boolean') return 'down must be a boolean';
  return null;
}
