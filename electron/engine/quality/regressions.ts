// Timestamp regressions in ARRIVAL order: a tick whose exchange time is earlier than that of the
// tick of the same symbol+source received just before it. The day file is ordered by exchange
// time, so arrival order is rebuilt from the stored receive time (recvUs; ties broken by tsUs, so
// ticks received in the same microsecond never count). Only ticks with an exchange time take
// part (without one, tsUs is the receive time and cannot regress). Held for the day: 16 bytes a
// tick, sorted once at the end.
export interface Regression {
  /** The late tick's exchange time. */
  atUs: number;
  /** The previous arrival's exchange time, which it went back from. */
  afterUs: number;
  recvUs: number;
}

export interface RegressionDetector {
  add(tsUs: number, recvUs: number): void;
  finish(): Regression[];
}

export function createRegressionDetector(): RegressionDetector {
  let recv = new Float64Array(1024);
  let ts = new Float64Array(1024);
  let n = 0;
  return {
    add(tsUs, recvUs) {
      if (n === recv.length) {
        const r = new Float64Array(n * 2);
        r.set(recv);
        recv = r;
        const t = new Float64Array(n * 2);
        t.set(ts);
        ts = t;
      }
      recv[n] = recvUs;
      ts[n] = tsUs;
      n++;
    },
    finish() {
      const order = new Uint32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      order.sort((a, b) => recv[a] - recv[b] || ts[a] - ts[b]);
      const found: Regression[] = [];
      for (let k = 1; k < n; k++) {
        const cur = order[k];
        const prev = order[k - 1];
        if (ts[cur] < ts[prev]) found.push({ atUs: ts[cur], afterUs: ts[prev], recvUs: recv[cur] });
      }
      return found.sort((a, b) => a.atUs - b.atUs);
    },
  };
}
