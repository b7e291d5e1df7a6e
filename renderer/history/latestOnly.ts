// Pans and zooms fire requests faster than answers come back; only the answer to the newest
// request may touch the chart, older ones are ignored when they arrive.
export class LatestOnly {
  private seq = 0;

  begin(): number {
    return ++this.seq;
  }

  isLatest(ticket: number): boolean {
    return ticket === this.seq;
  }

  /** Makes every ticket handed out so far stale (e.g. when the symbol changes). */
  invalidate(): void {
    this.seq++;
  }
}
