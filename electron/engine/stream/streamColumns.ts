// The typed-array columns of a stream page, in one list for transferring them between threads.
import type { StreamColumns } from './streamTypes.ts';

export const STREAM_ARRAYS = [
  'symbol',
  'source',
  'tsUs',
  'bid',
  'ask',
  'bidSize',
  'askSize',
  'recvUs',
  'seq',
  'noExchangeTime',
] as const satisfies readonly (keyof StreamColumns)[];

/** A page of `n` zeroed ticks with the given name tables (the writer fills it in). */
export function streamColumnsOf(n: number, symbols: string[] = [], sources: string[] = []): StreamColumns {
  return {
    length: n,
    symbols,
    sources,
    symbol: new Uint32Array(n),
    source: new Uint32Array(n),
    tsUs: new Float64Array(n),
    bid: new Float64Array(n),
    ask: new Float64Array(n),
    bidSize: new Float64Array(n),
    askSize: new Float64Array(n),
    recvUs: new Float64Array(n),
    seq: new Float64Array(n),
    noExchangeTime: new Uint8Array(n),
  };
}
