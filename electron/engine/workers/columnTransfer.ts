// Tick columns cross from the reader worker as transferred typed arrays: structured-cloning four
// arrays of 100K numbers costs more than the query that produced them.
import type { TickColumns } from '../../../shared/tick.ts';

const COLUMNS = ['tsUs', 'bid', 'ask', 'source'] as const;

export interface PackedColumns {
  packed: true;
  rest: Omit<TickColumns, (typeof COLUMNS)[number]> & Record<string, unknown>;
  tsUs: Float64Array;
  bid: Float64Array;
  ask: Float64Array;
  source: Float64Array;
}

export function isTickColumns(v: unknown): v is TickColumns {
  return (
    typeof v === 'object' &&
    v !== null &&
    Array.isArray((v as TickColumns).tsUs) &&
    Array.isArray((v as TickColumns).source)
  );
}

export function packColumns(v: TickColumns): { packed: PackedColumns; transfer: ArrayBuffer[] } {
  const { tsUs, bid, ask, source, ...rest } = v;
  const packed: PackedColumns = {
    packed: true,
    rest,
    tsUs: Float64Array.from(tsUs),
    bid: Float64Array.from(bid),
    ask: Float64Array.from(ask),
    source: Float64Array.from(source),
  };
  return { packed, transfer: COLUMNS.map((c) => packed[c].buffer as ArrayBuffer) };
}

export function isPacked(v: unknown): v is PackedColumns {
  return typeof v === 'object' && v !== null && (v as PackedColumns).packed === true;
}

function toArray(a: Float64Array): number[] {
  const out = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i];
  return out;
}

export function unpackColumns(p: PackedColumns): TickColumns {
  return {
    ...(p.rest as Omit<TickColumns, (typeof COLUMNS)[number]>),
    tsUs: toArray(p.tsUs),
    bid: toArray(p.bid),
    ask: toArray(p.ask),
    source: toArray(p.source),
  };
}
