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
 * A table's rows with complementary suppression: when a table with a total hides exactly one
 * row's count, that count is the total minus the others, so the next smallest row is hidden too.
 */
export function suppressTable<K extends object>(
  rows: { key: K; raw: Raw }[],
  min: number,
): PublicRow<K>[] {
  const out = rows.map((r) => suppressRow(r.key, r.raw, min));
  const hiddenRows = out.filter((r) => r.received === null).length;
  if (hiddenRows === 1 && out.length > 1) {
    let smallest = -1;
    rows.forEach((r, i) => {
      if (
        out[i].received !== null &&
        (smallest < 0 || r.raw.received < rows[smallest].raw.received)
      )
        smallest = i;
    });
    if (smallest >= 0)
      out[smallest] = suppressRow(rows[smallest].key, { ...rows[smallest].raw, received: 0 }, min);
  }
  return out;
}
