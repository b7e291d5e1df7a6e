// One symbol's 1-minute bar as bars_1m stores it (bid, ask and mid OHLC, count, first and last
// tick time in µs since midnight), and how a tick folds into it: the writer keeps bars_1m with
// these, and the compactor rebuilds an archived day's bars with the same rules.

export interface MinuteBar {
  m: number;
  n: number;
  tFirst: number;
  tLast: number;
  bo: number;
  bh: number;
  bl: number;
  bc: number;
  ao: number;
  ah: number;
  al: number;
  ac: number;
  mo: number;
  mh: number;
  ml: number;
  mc: number;
}

export function newBar(m: number, t: number, b: number, a: number): MinuteBar {
  const mid = (b + a) / 2;
  return {
    m,
    n: 1,
    tFirst: t,
    tLast: t,
    bo: b,
    bh: b,
    bl: b,
    bc: b,
    ao: a,
    ah: a,
    al: a,
    ac: a,
    mo: mid,
    mh: mid,
    ml: mid,
    mc: mid,
  };
}

/** Open from the earliest tick (the first seen on a tie), close from the latest (the last seen). */
export function foldTick(bar: MinuteBar, t: number, b: number, a: number): void {
  const mid = (b + a) / 2;
  bar.n++;
  if (t < bar.tFirst) {
    bar.tFirst = t;
    bar.bo = b;
    bar.ao = a;
    bar.mo = mid;
  }
  if (t >= bar.tLast) {
    bar.tLast = t;
    bar.bc = b;
    bar.ac = a;
    bar.mc = mid;
  }
  if (b > bar.bh) bar.bh = b;
  if (b < bar.bl) bar.bl = b;
  if (a > bar.ah) bar.ah = a;
  if (a < bar.al) bar.al = a;
  if (mid > bar.mh) bar.mh = mid;
  if (mid < bar.ml) bar.ml = mid;
}

/** The bar as a bars_1m row after its sym column: m, n, t_first, t_last, bid, ask, mid OHLC. */
export function barColumns(b: MinuteBar): number[] {
  return [
    b.m,
    b.n,
    b.tFirst,
    b.tLast,
    b.bo,
    b.bh,
    b.bl,
    b.bc,
    b.ao,
    b.ah,
    b.al,
    b.ac,
    b.mo,
    b.mh,
    b.ml,
    b.mc,
  ];
}
