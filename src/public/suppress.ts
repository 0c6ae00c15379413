/** One row of a public table: counts, and figures derived from them. */
export interface PublicCounts {
  received: number | null;
  disposed: number | null;
  pending: number | null;
  /** Mean days to dispose, of the disposed ones. */
  meanDaysToDispose: number | null;
  /** Disposed within the deadline ÷ (disposed + pending past it) × 100. */
  withinDeadlinePct: number | null;
}

export type PublicRow<K> = K & PublicCounts & { suppressed: boolean };

interface Raw {
  received: number;
  disposed: number;
  pending: number;
  meanDaysToDispose: number | null;
  withinDeadlinePct: number | null;
  /** The denominator of withinDeadlinePct. */
  decided: number;
}

/**
 * Small-cell suppression for the public page (docs/public-page.md): a count under `min` is not
 * shown, nor a figure computed from fewer than `min` grievances. Where one of disposed and
 * pending is hidden the other is too (received − one = the other).
 */
export function suppressRow<K extends object>(key: K, raw: Raw, min: number): PublicRow<K> {
  const hidden = (n: number) => n < min;
  if (hidden(raw.received))
    return {
      ...key,
      received: null,
      disposed: null,
      pending: null,
      meanDaysToDispose: null,
      withinDeadlinePct: null,
      suppressed: true,
    };
  const split = hidden(raw.disposed) || hidden(raw.pending);
  return {
    ...key,
    received: raw.received,
    disposed: split ? null : raw.disposed,
    pending: split ? null : raw.pending,
    meanDaysToDispose: hidden(raw.disposed) ? null : raw.meanDaysToDispose,
    withinDeadlinePct: hidden(raw.decided) ? null : raw.withinDeadlinePct,
    suppressed: split || hidden(raw.decided),
  };
}

/**
 * One table's rows with complementary suppression (suppressLinked, the rows its own cells): when
 * a table with a total hides exactly one row's count, that count is the total minus the others,
 * so the next smallest row is hidden too.
 */
export function suppressTable<K extends object>(
  rows: { key: K; raw: Raw }[],
  min: number,
): PublicRow<K>[] {
  const total: Raw = {
    received: 0,
    disposed: 0,
    pending: 0,
    meanDaysToDispose: null,
    withinDeadlinePct: null,
    decided: 0,
  };
  for (const { raw } of rows) {
    total.received += raw.received;
    total.disposed += raw.disposed;
    total.pending += raw.pending;
    total.decided += raw.decided;
  }
  return suppressLinked(
    rows.map((r) => ({ disposed: r.raw.disposed, pending: r.raw.pending })),
    { rows: rows.map((r, i) => ({ ...r, cells: [i] })) },
    total,
    min,
  ).tables.rows as PublicRow<K>[];
}

/** A row of a linked table: its key, its counts, and the cells of the cross-table it adds up. */
export interface LinkedRow<K> {
  key: K;
  raw: Raw;
  cells: number[];
}

/** A cell of the cross-table behind linked tables (e.g. one portal in one state). */
export interface CrossCell {
  disposed: number;
  pending: number;
}

type Kind = 'whole' | 'split';
interface Slot {
  table: string;
  row: LinkedRow<object>;
  out: PublicRow<object>;
}
interface Protected {
  kind: Kind;
  vector: number[];
  cells: number[];
  /** The row it is the total of (a hidden row), if any. */
  slot?: Slot;
}

const TOLERANCE = 1e-9;

/**
 * Secondary suppression across tables that count the same grievances (docs/public-page.md):
 * every table's rows add up cells of one cross-table (byPortal and byState: portals within
 * states), and all of them add up to the overall row. After the per-row rules, shown totals are
 * hidden, next smallest first, until no protected quantity can be worked out exactly as a linear
 * combination of the totals still shown: a cell of fewer than `min` (received, disposed or
 * pending), and every total hidden by the per-row rules. Cells counted 0 are taken as known to
 * anyone (a state portal takes no other state's grievances), which only hides more.
 */
export function suppressLinked<T extends Record<string, LinkedRow<object>[]>>(
  cells: CrossCell[],
  tables: T,
  overall: Raw,
  min: number,
  hidden: HiddenOverall = { whole: false, split: false },
): {
  overall: PublicRow<object>;
  tables: { [name in keyof T]: PublicRow<T[name][number]['key']>[] };
} {
  const all = cells.map((_, i) => i);
  const overallSlot: Slot = {
    table: '',
    row: { key: {}, raw: overall, cells: all },
    out: suppressRow({}, overall, min),
  };
  // Hidden by another group of tables over the same grievances: hidden here too, and protected.
  if (hidden.whole) hide(overallSlot, 'whole', min);
  if (hidden.split) hide(overallSlot, 'split', min);
  const slots: Slot[] = Object.entries(tables).flatMap(([table, rows]) =>
    rows.map((row) => ({ table, row, out: suppressRow(row.key, row.raw, min) })),
  );
  // Unknowns: each cell's disposed (2i) and pending (2i + 1); a count of 0 is no unknown.
  const vector = (ids: number[], parts: ('d' | 'p')[]) => {
    const v = new Array<number>(2 * cells.length).fill(0);
    for (const i of ids) {
      if (parts.includes('d') && cells[i].disposed > 0) v[2 * i] = 1;
      if (parts.includes('p') && cells[i].pending > 0) v[2 * i + 1] = 1;
    }
    return v;
  };
  const small = (n: number) => n > 0 && n < min;
  const wanted: Protected[] = [];
  cells.forEach((c, i) => {
    if (small(c.disposed + c.pending))
      wanted.push({ kind: 'whole', vector: vector([i], ['d', 'p']), cells: [i] });
    if (small(c.disposed)) wanted.push({ kind: 'split', vector: vector([i], ['d']), cells: [i] });
    if (small(c.pending)) wanted.push({ kind: 'split', vector: vector([i], ['p']), cells: [i] });
  });
  if (hidden.whole)
    wanted.push({ kind: 'whole', vector: vector(all, ['d', 'p']), cells: all, slot: overallSlot });
  if (hidden.split)
    wanted.push({ kind: 'split', vector: vector(all, ['d']), cells: all, slot: overallSlot });
  for (const slot of [overallSlot, ...slots]) {
    const { raw, cells: ids } = slot.row;
    if (small(raw.received))
      wanted.push({ kind: 'whole', vector: vector(ids, ['d', 'p']), cells: ids, slot });
    if (small(raw.disposed))
      wanted.push({ kind: 'split', vector: vector(ids, ['d']), cells: ids, slot });
    if (small(raw.pending))
      wanted.push({ kind: 'split', vector: vector(ids, ['p']), cells: ids, slot });
  }
  const shown = (s: Slot, kind: Kind) =>
    kind === 'whole' ? s.out.received !== null : s.out.disposed !== null;
  const everyTotal = [overallSlot, ...slots];
  const equations = (without?: Slot, kind?: Kind) =>
    everyTotal.flatMap((s) => {
      const whole = shown(s, 'whole') && !(s === without && kind === 'whole');
      const split = shown(s, 'split') && !(s === without);
      return [
        ...(whole ? [vector(s.row.cells, ['d', 'p'])] : []),
        ...(split ? [vector(s.row.cells, ['d']), vector(s.row.cells, ['p'])] : []),
      ];
    });
  const exposed = (q: Protected, without?: Slot, kind?: Kind) =>
    inSpan(reducedBasis(equations(without, kind)), q.vector);
  for (;;) {
    const basis = reducedBasis(equations());
    const q = wanted.find((w) => w.vector.some((x) => x !== 0) && inSpan(basis, w.vector));
    if (!q) break;
    // The next smallest total whose hiding alone protects it; else the smallest one that adds
    // up part of it (or is of its table), and look again.
    const candidates = [
      ...slots
        .filter((s) => s !== q.slot && shown(s, q.kind))
        .sort((a, b) => a.row.raw.received - b.row.raw.received),
      ...(shown(overallSlot, q.kind) ? [overallSlot] : []),
    ];
    const related = (s: Slot) =>
      (q.slot !== undefined && s.table === q.slot.table) ||
      s.row.cells.some((i) => q.cells.includes(i));
    const next =
      candidates.find((s) => !exposed(q, s, q.kind)) ?? candidates.find(related) ?? candidates[0];
    if (!next) break; // unreachable: with no total shown, nothing follows
    hide(next, q.kind, min);
  }
  const out = {} as { [name in keyof T]: PublicRow<T[name][number]['key']>[] };
  for (const table of Object.keys(tables) as (keyof T)[])
    out[table] = slots.filter((s) => s.table === table).map((s) => s.out) as never;
  return { overall: overallSlot.out, tables: out };
}

/** Which parts of the overall row another group of tables (suppressLinked) had to hide. */
export interface HiddenOverall {
  whole: boolean;
  split: boolean;
}

/**
 * Groups of tables that are suppressed apart (their cells differ: portals × states, months) but
 * share the overall row: a total one group hides must not be given back by the other adding up
 * to it. Each pass is run with what any pass hid of the overall row, until that stops growing
 * (it only grows, so at most three rounds).
 */
export function suppressSharingOverall<R extends { overall: PublicRow<object> }[]>(passes: {
  [I in keyof R]: (hidden: HiddenOverall) => R[I];
}): R {
  let hidden: HiddenOverall = { whole: false, split: false };
  for (;;) {
    const results = (passes as ((h: HiddenOverall) => R[number])[]).map((pass) =>
      pass(hidden),
    ) as R;
    const next = {
      whole: results.some((r) => r.overall.received === null),
      split: results.some((r) => r.overall.disposed === null),
    };
    if (next.whole === hidden.whole && next.split === hidden.split) return results;
    hidden = { whole: hidden.whole || next.whole, split: hidden.split || next.split };
  }
}

function hide(slot: Slot, kind: Kind, min: number) {
  if (kind === 'whole') slot.out = suppressRow(slot.row.key, { ...slot.row.raw, received: 0 }, min);
  else slot.out = { ...slot.out, disposed: null, pending: null, suppressed: true };
}

/** Row-reduced echelon rows of `rows` (Gauss–Jordan), each normalised at its pivot. */
function reducedBasis(rows: number[][]): { pivot: number; row: number[] }[] {
  const basis: { pivot: number; row: number[] }[] = [];
  for (const original of rows) {
    const row = reduce(basis, original);
    const pivot = row.findIndex((x) => Math.abs(x) > TOLERANCE);
    if (pivot < 0) continue;
    const scale = row[pivot];
    for (let j = 0; j < row.length; j++) row[j] /= scale;
    for (const b of basis) {
      const f = b.row[pivot];
      if (Math.abs(f) > TOLERANCE) for (let j = 0; j < row.length; j++) b.row[j] -= f * row[j];
    }
    basis.push({ pivot, row });
  }
  return basis;
}

function reduce(basis: { pivot: number; row: number[] }[], v: number[]): number[] {
  const row = [...v];
  for (const b of basis) {
    const f = row[b.pivot];
    if (Math.abs(f) > TOLERANCE) for (let j = 0; j < row.length; j++) row[j] -= f * b.row[j];
  }
  return row;
}

/** Whether `v` is a linear combination of the basis: its value follows from the shown totals. */
function inSpan(basis: { pivot: number; row: number[] }[], v: number[]): boolean {
  return reduce(basis, v).every((x) => Math.abs(x) <= TOLERANCE);
}
