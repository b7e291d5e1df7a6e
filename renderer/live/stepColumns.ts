// A quote line at the screen's resolution. A quote holds until the next one, so each line is a
// step line; when many ticks fall in one pixel column (a wide live window), drawing every tick
// would only overdraw that column. Per column the line keeps the first tick's x and the column's
// min, max and last value (the "M4" reduction), which draws the same pixels as every tick would:
// a vertical stroke over the column's range, then the last value held to the next column.
// Sparse ticks (one per column) keep their exact x.

/** Vertices of a step line: x in CSS px, v in price units; NaN in v breaks the line. */
export interface StepVertices {
  xs: number[];
  vs: number[];
}

export class StepColumns {
  readonly out: StepVertices = { xs: [], vs: [] };
  private col = NaN;
  private x = NaN;
  private min = NaN;
  private max = NaN;
  private last = NaN;
  /** The value held from the previous column (NaN at the start or after a break). */
  private held = NaN;
  private lo = Infinity;
  private hi = -Infinity;

  /** The value shown at the left edge before the first tick in view (the last quote before it). */
  start(x: number, v: number): void {
    this.add(x, v);
  }

  /** One tick, in x order. */
  add(x: number, v: number): void {
    if (!Number.isFinite(v)) {
      this.breakLine(x);
      return;
    }
    if (v < this.lo) this.lo = v;
    if (v > this.hi) this.hi = v;
    const col = Math.floor(x);
    if (col === this.col) {
      if (v < this.min) this.min = v;
      if (v > this.max) this.max = v;
      this.last = v;
      return;
    }
    this.flush();
    this.col = col;
    this.x = x;
    this.min = v;
    this.max = v;
    this.last = v;
  }

  /** No quote from here (a side missing): the line stops at x until the next value. */
  breakLine(x: number): void {
    this.flush();
    if (Number.isFinite(this.held)) {
      this.push(x, this.held);
      this.push(x, NaN);
    }
    this.held = NaN;
  }

  /** Holds the last value to `xEnd` (the live edge or the view's right edge) and returns the line. */
  finish(xEnd: number): StepVertices {
    this.flush();
    this.col = NaN;
    if (Number.isFinite(this.held) && xEnd > this.out.xs[this.out.xs.length - 1]) this.push(xEnd, this.held);
    return this.out;
  }

  /** Lowest and highest value added (for the price scale), or null when none. */
  range(): { min: number; max: number } | null {
    return this.lo <= this.hi ? { min: this.lo, max: this.hi } : null;
  }

  private flush(): void {
    if (Number.isNaN(this.col)) return;
    const x = this.x;
    // The held value's horizontal ends here; one vertical stroke then covers the column.
    if (Number.isFinite(this.held)) this.pushDistinct(x, this.held);
    this.pushDistinct(x, this.min);
    this.pushDistinct(x, this.max);
    this.pushDistinct(x, this.last);
    this.held = this.last;
    this.col = NaN;
  }

  private push(x: number, v: number): void {
    this.out.xs.push(x);
    this.out.vs.push(v);
  }

  private pushDistinct(x: number, v: number): void {
    const n = this.out.vs.length;
    if (n > 0 && this.out.xs[n - 1] === x && this.out.vs[n - 1] === v) return;
    this.push(x, v);
  }
}
