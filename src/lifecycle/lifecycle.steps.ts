import { CANONICAL_STATUSES, type CanonicalStatus } from '../../adapters/adapter';
import { canTransition } from './lifecycle.rules';

/** The statuses TRANSITIONS lets move to `to`, in CANONICAL_STATUSES order. */
export function predecessors(to: CanonicalStatus): CanonicalStatus[] {
  return CANONICAL_STATUSES.filter((from) => canTransition(from, to));
}

/** A status change the hub makes itself; `from` is what its SQL guard lets through. */
export interface Step {
  readonly to: CanonicalStatus;
  readonly from: readonly CanonicalStatus[];
}

/**
 * A step from `from` (default: every predecessor in TRANSITIONS) to `to`. Each `from` must be
 * allowed by TRANSITIONS, directly or through `via` (a step the hub may skip: see deliver): a
 * guard the table does not allow fails at load, not in production.
 */
export function step(
  to: CanonicalStatus,
  from: readonly CanonicalStatus[] = predecessors(to),
  via?: CanonicalStatus,
): Step {
  for (const f of from) {
    const direct = canTransition(f, to);
    const through = via !== undefined && canTransition(f, via) && canTransition(via, to);
    if (!direct && !through) throw new Error(`The lifecycle does not allow ${f} → ${to}`);
  }
  if (from.length === 0) throw new Error(`No status may move to ${to}`);
  return { to, from: [...from] };
}

/** The hub's own steps. Portal events and citizen actions go through `decide` and the rules. */
export const STEPS = {
  /** The relay queues a grievance's first delivery (a transfer's stays TRANSFERRED until delivered). */
  route: step('ROUTED', ['RECEIVED']),
  /** Staff retry a failed delivery. */
  retry: step('ROUTED', ['DISPATCH_FAILED']),
  /**
   * The portal registered it. RECEIVED too: a delivery can settle on a grievance whose ROUTED
   * was never written (it reaches DELIVERED through ROUTED).
   */
  deliver: step('DELIVERED', [...predecessors('DELIVERED'), 'RECEIVED'], 'ROUTED'),
  fail: step('DISPATCH_FAILED'),
  /** Resolved or rejected and no feedback in time (an appeal is not closed by the clock). */
  autoClose: step('CLOSED', ['RESOLVED', 'REJECTED']),
} as const satisfies Record<string, Step>;

/**
 * `column IN ('A', 'B')`: a step's guard as SQL, for a statement that selects the grievances by
 * their status (an index on the status may find them). The statuses are checked against the
 * canonical list, so the literal can never carry anything else.
 */
export function sqlGuard(column: string, s: Step): string {
  return `${checkedColumn(column)} IN (${statusList(s)})`;
}

/**
 * `column::text IN ('A', 'B')`: a step's guard on grievances the statement finds otherwise (by
 * id, through a join). Never an index condition: with statistics taken when few grievances were
 * in that status (RECEIVED, ROUTED: normally a moment's worth), PostgreSQL would otherwise start
 * from the status index and probe the join for every grievance in the status — after a worker
 * outage left 81,000 RECEIVED, the relay's 200-dispatch route statement took 19 s instead of
 * 24 ms (docs/benchmarks.md#repeat-detection).
 */
export function sqlRowGuard(column: string, s: Step): string {
  return `${checkedColumn(column)}::text IN (${statusList(s)})`;
}

function checkedColumn(column: string): string {
  if (!/^[a-z_]+(\.[a-z_]+)?$/.test(column)) throw new Error(`Not a column: ${column}`);
  return column;
}

function statusList(s: Step): string {
  for (const status of s.from)
    if (!CANONICAL_STATUSES.includes(status)) throw new Error(`Not a status: ${status}`);
  return s.from.map((status) => `'${status}'`).join(', ');
}
