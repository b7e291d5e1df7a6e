// Ticks cross threads as columns in one shared buffer, not as objects: one message per batch, no
// per-tick allocation, and the receiving thread reads typed arrays directly. The buffer is shared
// (not transferred) so the engine keeps its batches until the writer reports them durable: a
// writer that dies mid-pass loses nothing, its batches are handed to the next one.

export interface ColumnBatch {
  n: number;
  tsUs: Float64Array;
  /** NaN when the exchange sent no time: `tsUs` is then the receive time (stored as r NULL). */
  recvUs: Float64Array;
  bid: Float64Array;
  ask: Float64Array;
  /** NaN when the feed gave no size. */
  bidSize: Float64Array;
  askSize: Float64Array;
  /** The exchange's update id, part of the tick's identity; NaN when the feed gave none. */
  seq: Float64Array;
  /** Index into the symbol dictionary the batch is read with. */
  sym: Uint32Array;
  src: Uint32Array;
  /** Set on the engine's recycled buffers: the writer keeps those by id (see BatchPool). */
  poolId?: number;
}

/** The float columns in buffer order (the spill journal's record copies this layout as one block). */
export const F64_COLUMNS = 7;

/**
 * `shared`: the batch crosses threads (ingest to the workers, parked rows back) and both sides
 * keep it. A thread's own scratch batches (a pass's merge) stay plain: shared memory is freed only
 * when every thread has collected it, which under load kept hundreds of MB alive.
 */
export function allocateColumnBatch(capacity: number, shared = false): ColumnBatch {
  const bytes = capacity * (F64_COLUMNS * 8 + 2 * 4);
  const buf = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
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
  const batch: ColumnBatch = {
    n: 0,
    tsUs: f64(),
    recvUs: f64(),
    bid: f64(),
    ask: f64(),
    bidSize: f64(),
    askSize: f64(),
    seq: f64(),
    sym: u32(),
    src: u32(),
  };
  // A row whose maker does not set it has no update id (0 would be a real one).
  batch.seq.fill(Number.NaN);
  return batch;
}

/** A batch holding rows idx[k] of b, in that order. */
export function selectRows(b: ColumnBatch, idx: ArrayLike<number>, shared = false): ColumnBatch {
  const out = allocateColumnBatch(idx.length, shared);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    out.tsUs[k] = b.tsUs[i];
    out.recvUs[k] = b.recvUs[i];
    out.bid[k] = b.bid[i];
    out.ask[k] = b.ask[i];
    out.bidSize[k] = b.bidSize[i];
    out.askSize[k] = b.askSize[i];
    out.seq[k] = b.seq[i];
    out.sym[k] = b.sym[i];
    out.src[k] = b.src[i];
  }
  out.n = idx.length;
  return out;
}

/** One batch with the rows of all of them, in order (the same batch when there is one). */
export function mergeBatches(list: ColumnBatch[]): ColumnBatch {
  if (list.length === 1) return list[0];
  let n = 0;
  for (const b of list) n += b.n;
  const out = allocateColumnBatch(n);
  let o = 0;
  for (const b of list) {
    const k = b.n;
    out.tsUs.set(b.tsUs.subarray(0, k), o);
    out.recvUs.set(b.recvUs.subarray(0, k), o);
    out.bid.set(b.bid.subarray(0, k), o);
    out.ask.set(b.ask.subarray(0, k), o);
    out.bidSize.set(b.bidSize.subarray(0, k), o);
    out.askSize.set(b.askSize.subarray(0, k), o);
    out.seq.set(b.seq.subarray(0, k), o);
    out.sym.set(b.sym.subarray(0, k), o);
    out.src.set(b.src.subarray(0, k), o);
    o += k;
  }
  out.n = n;
  return out;
}
