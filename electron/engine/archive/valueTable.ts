// The distinct values of a column, for dictionary coding: an open-addressing hash table over the
// values' IEEE bits (so -0 and 0 are two values, as they must be for a bit-exact dictionary),
// about ten times quicker than a Map on the million-value columns a compaction codes.

const SLOTS = 16_384; // a power of two over twice the dictionary limit (4,096)
const MASK = SLOTS - 1;

export class ValueTable {
  /** Distinct values in order of first appearance, and how often each occurs. */
  readonly values: number[] = [];
  readonly counts: number[] = [];
  private readonly keysLo = new Uint32Array(SLOTS);
  private readonly keysHi = new Uint32Array(SLOTS);
  /** 0: empty; otherwise the value's index + 1. */
  private readonly slot = new Int32Array(SLOTS);
  private readonly f = new Float64Array(1);
  private readonly u = new Uint32Array(this.f.buffer);

  /**
   * Indexes every non-NaN value of values[from..to) into `out` (one per non-NaN value, in
   * order); false (and the table incomplete) once there are more than `cap` distinct values.
   */
  index(values: ArrayLike<number>, from: number, to: number, cap: number, out: Int32Array): boolean {
    const { keysLo, keysHi, slot, f, u, counts } = this;
    let j = 0;
    for (let i = from; i < to; i++) {
      const v = values[i];
      if (v !== v) continue;
      f[0] = v;
      const lo = u[0];
      const hi = u[1];
      let h = (Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) >>> 18) & MASK;
      for (;;) {
        const s = slot[h];
        if (s === 0) {
          if (this.values.length >= cap) return false;
          this.values.push(v);
          counts.push(0);
          keysLo[h] = lo;
          keysHi[h] = hi;
          slot[h] = this.values.length;
          out[j++] = this.values.length - 1;
          counts[this.values.length - 1]++;
          break;
        }
        if (keysLo[h] === lo && keysHi[h] === hi) {
          out[j++] = s - 1;
          counts[s - 1]++;
          break;
        }
        h = (h + 1) & MASK;
      }
    }
    return true;
  }
}
