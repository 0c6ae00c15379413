/** A row's place in a sweep's order: its timestamp column, then its id. */
export interface SweepKey {
  at: Date;
  id: string;
}

/**
 * Where a relay's next sweep goes on. Each sweep checks one page of stale rows; starting every
 * sweep from the oldest would check the same page for ever while a backlog of live jobs (a
 * portal down for hours) fills it, and never reach a vanished job behind it. After the last
 * page the cursor starts again from the oldest.
 */
export class SweepCursor {
  private after: SweepKey | null = null;

  get position(): SweepKey | null {
    return this.after;
  }

  advance(page: SweepKey[], pageSize: number): void {
    const last = page.at(-1);
    this.after = page.length < pageSize || !last ? null : { at: last.at, id: last.id };
  }
}
