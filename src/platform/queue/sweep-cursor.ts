import type { KeysetPosition } from '../database/keyset';

/**
 * How the relays sweep (every 30 s, see relay-loop): rows queued over a minute ago and still
 * pending are checked for a job, up to ten pages of 500 per pass, so a vanished job behind
 * 200,000 live ones is found within 20 minutes.
 */
export const SWEEP: Readonly<{ ageMs: number; pageSize: number; pages: number }> = {
  ageMs: 60_000,
  pageSize: 500,
  pages: 10,
};

/**
 * Where a relay's next sweep goes on. Each sweep checks a few pages of stale rows; starting
 * every sweep from the oldest would check the same pages for ever while a backlog of live jobs
 * (a portal down for hours) fills them, and never reach a vanished job behind it. After the
 * last page the cursor starts again from the oldest.
 */
export class SweepCursor {
  private after: KeysetPosition | null = null;

  private advance(page: KeysetPosition[], pageSize: number): void {
    const last = page.at(-1);
    this.after = page.length < pageSize || !last ? null : { at: last.at, id: last.id };
  }

  /**
   * One sweep: up to `pages` pages from where the last one stopped, each handed to `handle`
   * (which returns how many rows it re-queued), stopping early at the end of the table.
   */
  async walk<R extends KeysetPosition>(
    fetchPage: (after: KeysetPosition | null, limit: number) => Promise<R[]>,
    handle: (page: R[]) => Promise<number>,
    { pageSize, pages }: { pageSize: number; pages: number },
  ): Promise<number> {
    let handled = 0;
    for (let i = 0; i < pages; i++) {
      const page = await fetchPage(this.after, pageSize);
      this.advance(page, pageSize);
      handled += await handle(page);
      if (this.after === null) break;
    }
    return handled;
  }
}
