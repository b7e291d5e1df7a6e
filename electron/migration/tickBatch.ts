// Columnar batches of parsed ticks: what readers produce and what crosses from the migration
// worker to the thread that owns the TickStore.

export interface TickBatch {
  count: number;
  /** Dictionaries; `sym[i]` and `src[i]` index into them. */
  symbols: string[];
  sources: string[];
  sym: Int32Array;
  /** -1: no source in the record (the store's default applies). */
  src: Int32Array;
  tsUs: Float64Array;
  bid: Float64Array;
  ask: Float64Array;
  /** NaN when the file has no sizes. */
  bidSize: Float64Array;
  askSize: Float64Array;
  /** Line number or record number (1-based) of each tick in its file. */
  loc: Float64Array;
}

export class TickBatchBuilder {
  readonly capacity: number;
  private symbolIds = new Map<string, number>();
  private sourceIds = new Map<string, number>();
  private batch: TickBatch;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.batch = emptyBatch(capacity);
  }

  get count(): number {
    return this.batch.count;
  }

  get full(): boolean {
    return this.batch.count >= this.capacity;
  }

  add(
    symbol: string,
    source: string | null,
    tsUs: number,
    bid: number,
    ask: number,
    loc: number,
    bidSize = Number.NaN,
    askSize = Number.NaN,
  ): void {
    const b = this.batch;
    const i = b.count++;
    let s = this.symbolIds.get(symbol);
    if (s === undefined) {
      s = b.symbols.length;
      b.symbols.push(symbol);
      this.symbolIds.set(symbol, s);
    }
    b.sym[i] = s;
    if (source === null) {
      b.src[i] = -1;
    } else {
      let r = this.sourceIds.get(source);
      if (r === undefined) {
        r = b.sources.length;
        b.sources.push(source);
        this.sourceIds.set(source, r);
      }
      b.src[i] = r;
    }
    b.tsUs[i] = tsUs;
    b.bid[i] = bid;
    b.ask[i] = ask;
    b.bidSize[i] = bidSize;
    b.askSize[i] = askSize;
    b.loc[i] = loc;
  }

  /** Hands out the filled batch (trimmed views) and starts a new one. */
  take(): TickBatch {
    const b = this.batch;
    const n = b.count;
    this.batch = emptyBatch(this.capacity);
    this.symbolIds.clear();
    this.sourceIds.clear();
    return {
      count: n,
      symbols: b.symbols,
      sources: b.sources,
      sym: b.sym.subarray(0, n),
      src: b.src.subarray(0, n),
      tsUs: b.tsUs.subarray(0, n),
      bid: b.bid.subarray(0, n),
      ask: b.ask.subarray(0, n),
      bidSize: b.bidSize.subarray(0, n),
      askSize: b.askSize.subarray(0, n),
      loc: b.loc.subarray(0, n),
    };
  }
}

function emptyBatch(capacity: number): TickBatch {
  return {
    count: 0,
    symbols: [],
    sources: [],
    sym: new Int32Array(capacity),
    src: new Int32Array(capacity),
    tsUs: new Float64Array(capacity),
    bid: new Float64Array(capacity),
    ask: new Float64Array(capacity),
    bidSize: new Float64Array(capacity),
    askSize: new Float64Array(capacity),
    loc: new Float64Array(capacity),
  };
}
