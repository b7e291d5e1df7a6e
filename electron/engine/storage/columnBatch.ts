// Ticks cross threads as columns in one transferable buffer, not as objects: one message per
// batch, no per-tick allocation, and the receiving thread reads typed arrays directly.

export interface ColumnBatch {
  n: number;
  tsUs: Float64Array;
  recvUs: Float64Array;
  bid: Float64Array;
  ask: Float64Array;
  /** NaN when the feed gave no size. */
  bidSize: Float64Array;
  askSize: Float64Array;
  /** Index into the symbol dictionary the batch is read with. */
  sym: Uint32Array;
  src: Uint32Array;
}

const F64_COLUMNS = 6;

export function allocateColumnBatch(capacity: number): ColumnBatch {
  const buf = new ArrayBuffer(capacity * (F64_COLUMNS * 8 + 2 * 4));
  let off = 0;
  const f64 = () => {
    const a = new Float64Array(buf, off, capacity);
    off += capacity * 8;
    return a;
  };
  const u32 = () => {
    const a = new Uint32Array(buf, off, capacity);
    off += capacity * 4;
    return a;
  };
  return {
    n: 0,
    tsUs: f64(),
    recvUs: f64(),
    bid: f64(),
    ask: f64(),
    bidSize: f64(),
    askSize: f64(),
    sym: u32(),
    src: u32(),
  };
}

/** The single buffer behind a batch, for postMessage's transfer list. */
export function batchBuffer(b: ColumnBatch): ArrayBuffer {
  return b.tsUs.buffer as ArrayBuffer;
}
