import type { KeysetPosition } from '../database/keyset';

/**
 * Where a relay's next sweep goes on. Each sweep checks one page of stale rows; starting every
 * sweep from the oldest would check the same page for ever while a backlog of live jobs (a
 * portal down for hours) fills it, and never reach a vanished job behind it. After the last
 * page the cursor starts again from the oldest.
 */
export class SweepCursor {
  private after: KeysetPosition | null = null;

  get position(): KeysetPosition | null {
    return this.after;
  }

  advance(page: KeysetPosition[], pageSize: number): void {
    const last = page.at(-1);
    this.after = page.length < pageSize || !last ? null : { at: last.at, id: last.id };
  }
}
