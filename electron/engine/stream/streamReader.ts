// The ordered tick stream over a TickReader (streamTypes.ts): every selected symbol is read ahead
// a bounded chunk at a time (symbolChunks.ts) and the chunks are merged by (tsUs, symbol name),
// copying runs of one symbol at a time, so a single-symbol selection does no per-tick merge work.
import { QueryError } from '../errors.ts';
import type { TickReader } from '../reader/tickReader.ts';
import type {
  StreamColumns,
  StreamCursor,
  StreamPage,
  StreamSelection,
  TickStreamReader,
} from './streamTypes.ts';
import { decodeStreamCursor, encodeStreamCursor } from './streamCursor.ts';
import { SymbolChunks } from './symbolChunks.ts';
import { streamColumnsOf } from './streamColumns.ts';
import { BlockCache } from './blockCache.ts';

/** Read-ahead per symbol, and over all symbols of a selection. */
export const SYMBOL_CHUNK = 8192;
export const TOTAL_READ_AHEAD = 1 << 20;
export const MAX_PAGE = 1_000_000;

function before(a: SymbolChunks, b: SymbolChunks): boolean {
  const x = a.tsUs[a.pos];
  const y = b.tsUs[b.pos];
  return x < y || (x === y && a.symbol < b.symbol);
}

function emptyColumns(n: number): StreamColumns {
  return { ...streamColumnsOf(n), length: 0 };
}

function trim(c: StreamColumns, n: number): StreamColumns {
  if (c.tsUs.length === n) return { ...c, length: n };
  return {
    length: n,
    symbols: c.symbols,
    sources: c.sources,
    symbol: c.symbol.slice(0, n),
    source: c.source.slice(0, n),
    tsUs: c.tsUs.slice(0, n),
    bid: c.bid.slice(0, n),
    ask: c.ask.slice(0, n),
    bidSize: c.bidSize.slice(0, n),
    askSize: c.askSize.slice(0, n),
    recvUs: c.recvUs.slice(0, n),
    seq: c.seq.slice(0, n),
    noExchangeTime: c.noExchangeTime.slice(0, n),
  };
}

export function validateSelection(sel: StreamSelection, maxTicks: number): void {
  if (!Number.isSafeInteger(maxTicks) || maxTicks < 1 || maxTicks > MAX_PAGE)
    throw new QueryError(`maxTicks must be an integer in 1..${MAX_PAGE}, got ${String(maxTicks)}`);
  if (!Number.isFinite(sel.fromUs) || !Number.isFinite(sel.toUs))
    throw new QueryError('stream selection needs finite fromUs and toUs');
}

/** `blocks`: decoded archive blocks kept across pages (one cache per reader, so per worker). */
export function createTickStreamReader(reader: TickReader, blocks = new BlockCache()): TickStreamReader {
  const open = reader.dayFiles();

  function symbolsOf(sel: StreamSelection): string[] {
    if (sel.symbols.length > 0) return [...new Set(sel.symbols)].sort();
    const names = new Set<string>();
    for (const ref of open.filesIn(sel.fromUs, sel.toUs))
      for (const n of open.onDay(
        ref,
        (d) => d.db.prepare('SELECT name FROM symbols WHERE count > 0').pluck().all() as string[],
        [],
      ))
        names.add(n);
    return [...names].sort();
  }

  // The read-ahead of the last page, kept for a caller that asks for the next page of the same
  // selection with the cursor it was given: a sequential read (export, sink) then neither seeks
  // every symbol again nor rereads the chunks it had read ahead. Kept only while every selected
  // symbol still had ticks: a symbol that ran dry is asked again by a fresh page, since a live
  // day may have more of it by then.
  let carry: { cursor: StreamCursor; key: string; heap: SymbolChunks[] } | null = null;
  const selectionKey = (sel: StreamSelection, maxTicks: number) =>
    JSON.stringify([sel.symbols, sel.sources ?? null, sel.fromUs, sel.toUs, sel.sizes !== false, maxTicks]);

  return {
    page(sel: StreamSelection, cursor: StreamCursor | null, maxTicks: number): StreamPage {
      validateSelection(sel, maxTicks);
      const at = cursor === null ? null : decodeStreamCursor(cursor);
      const out = emptyColumns(Math.min(maxTicks, 65_536));
      if (sel.toUs <= sel.fromUs) return { ticks: trim(out, 0), cursor: null };
      const key = selectionKey(sel, maxTicks);
      const carried = carry !== null && cursor !== null && carry.cursor === cursor && carry.key === key;
      const heap: SymbolChunks[] = carried ? carry!.heap : [];
      carry = null;
      let allLive = carried;
      if (!carried) {
        const files = open.filesIn(sel.fromUs, sel.toUs);
        const names = symbolsOf(sel);
        const chunk = Math.max(
          64,
          Math.min(SYMBOL_CHUNK, maxTicks + 1, Math.floor(TOTAL_READ_AHEAD / Math.max(1, names.length))),
        );
        const sources = sel.sources && sel.sources.length > 0 ? sel.sources : null;
        // A min-heap of the symbols with ticks left, by their next tick.
        for (const symbol of names) {
          let startUs = sel.fromUs;
          let skip = 0;
          if (at) {
            if (symbol < at.symbol) startUs = Math.max(startUs, at.tsUs + 1);
            else startUs = Math.max(startUs, at.tsUs);
            if (symbol === at.symbol && at.tsUs >= sel.fromUs) skip = at.skip;
          }
          const s = new SymbolChunks(
            open,
            {
              symbol,
              files,
              startUs,
              toUs: sel.toUs,
              skip,
              sources,
              sizes: sel.sizes !== false,
              chunk,
            },
            blocks,
          );
          if (s.ready()) push(heap, s);
        }
        allLive = heap.length === names.length;
      }
      let cols = out;
      let n = 0;
      const symIdx = new Map<string, number>();
      const srcIdx = new Map<string, number>();
      let lastSym = '';
      let lastTs = Number.NaN;
      let run = 0;
      while (n < maxTicks && heap.length > 0) {
        const top = heap[0];
        const next =
          heap.length > 1 ? (heap.length > 2 && before(heap[2], heap[1]) ? heap[2] : heap[1]) : null;
        let si = symIdx.get(top.symbol);
        if (si === undefined) {
          symIdx.set(top.symbol, (si = cols.symbols.length));
          cols.symbols.push(top.symbol);
        }
        // The run of this symbol's ticks that come before every other symbol's next tick, copied
        // column by column.
        const p0 = top.pos;
        let p1 = Math.min(top.n, p0 + (maxTicks - n));
        if (next !== null) {
          let e = p0;
          while (
            e < p1 &&
            (top.tsUs[e] < next.tsUs[next.pos] ||
              (top.tsUs[e] === next.tsUs[next.pos] && top.symbol < next.symbol))
          )
            e++;
          p1 = e;
        }
        const len = p1 - p0;
        if (n + len > cols.tsUs.length) cols = grow(cols, Math.min(maxTicks, Math.max(n + len, n * 2)));
        if (len < SHORT_RUN) copyShortRun(cols, n, top, p0, p1, si);
        else {
          cols.symbol.fill(si, n, n + len);
          cols.tsUs.set(top.tsUs.subarray(p0, p1), n);
          cols.bid.set(top.bid.subarray(p0, p1), n);
          cols.ask.set(top.ask.subarray(p0, p1), n);
          cols.bidSize.set(top.bidSize.subarray(p0, p1), n);
          cols.askSize.set(top.askSize.subarray(p0, p1), n);
          cols.recvUs.set(top.recvUs.subarray(p0, p1), n);
          cols.seq.set(top.seq.subarray(p0, p1), n);
          cols.noExchangeTime.set(top.noTime.subarray(p0, p1), n);
        }
        let name = '';
        let ci = 0;
        for (let p = p0, o = n; p < p1; p++, o++) {
          if (top.src[p] !== name) {
            name = top.src[p];
            let idx = srcIdx.get(name);
            if (idx === undefined) {
              srcIdx.set(name, (idx = cols.sources.length));
              cols.sources.push(name);
            }
            ci = idx;
          }
          cols.source[o] = ci;
        }
        const ts = top.tsUs[p1 - 1];
        let k = 1;
        while (k < len && top.tsUs[p1 - 1 - k] === ts) k++;
        run = k === len && ts === lastTs && top.symbol === lastSym ? run + len : k;
        lastTs = ts;
        lastSym = top.symbol;
        top.pos = p1;
        n += len;
        if (!top.ready()) {
          popTop(heap);
          allLive = false;
        } else siftDown(heap, 0);
      }
      let more: StreamCursor | null = null;
      if (n > 0 && heap.length > 0) {
        // Ticks of the cursor's own (tsUs, symbol) delivered by earlier pages count too.
        const carriedSkip = at && at.tsUs === lastTs && at.symbol === lastSym && n === run ? at.skip : 0;
        more = encodeStreamCursor({ tsUs: lastTs, symbol: lastSym, skip: run + carriedSkip });
        if (allLive) carry = { cursor: more, key, heap };
      }
      return { ticks: trim(cols, n), cursor: more };
    },
  };
}

/**
 * Interleaved symbols give runs of one or two ticks; nine subarray views a run (each a new
 * object) cost more than the copy, so short runs are copied value by value.
 */
const SHORT_RUN = 16;

function copyShortRun(
  c: StreamColumns,
  n: number,
  top: SymbolChunks,
  p0: number,
  p1: number,
  si: number,
): void {
  for (let p = p0, o = n; p < p1; p++, o++) {
    c.symbol[o] = si;
    c.tsUs[o] = top.tsUs[p];
    c.bid[o] = top.bid[p];
    c.ask[o] = top.ask[p];
    c.bidSize[o] = top.bidSize[p];
    c.askSize[o] = top.askSize[p];
    c.recvUs[o] = top.recvUs[p];
    c.seq[o] = top.seq[p];
    c.noExchangeTime[o] = top.noTime[p];
  }
}

function grow(c: StreamColumns, size: number): StreamColumns {
  const g = emptyColumns(size);
  g.symbols = c.symbols;
  g.sources = c.sources;
  const n = c.tsUs.length;
  g.symbol.set(c.symbol.subarray(0, n));
  g.source.set(c.source.subarray(0, n));
  g.tsUs.set(c.tsUs.subarray(0, n));
  g.bid.set(c.bid.subarray(0, n));
  g.ask.set(c.ask.subarray(0, n));
  g.bidSize.set(c.bidSize.subarray(0, n));
  g.askSize.set(c.askSize.subarray(0, n));
  g.recvUs.set(c.recvUs.subarray(0, n));
  g.seq.set(c.seq.subarray(0, n));
  g.noExchangeTime.set(c.noExchangeTime.subarray(0, n));
  return g;
}

function push(h: SymbolChunks[], s: SymbolChunks): void {
  h.push(s);
  let i = h.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!before(h[i], h[p])) break;
    [h[i], h[p]] = [h[p], h[i]];
    i = p;
  }
}

function popTop(h: SymbolChunks[]): void {
  const last = h.pop()!;
  if (h.length > 0) {
    h[0] = last;
    siftDown(h, 0);
  }
}

function siftDown(h: SymbolChunks[], i: number): void {
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < h.length && before(h[l], h[m])) m = l;
    if (r < h.length && before(h[r], h[m])) m = r;
    if (m === i) return;
    [h[i], h[m]] = [h[m], h[i]];
    i = m;
  }
}
