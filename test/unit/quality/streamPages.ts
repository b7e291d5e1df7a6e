// Builds stream pages (StreamColumns) from plain ticks, in the stream's order, for the quality
// tests: the report builder must give the same answer however the day is cut into pages.
import { streamColumnsOf } from '../../../electron/engine/stream/streamColumns.ts';
import type { StreamColumns } from '../../../electron/engine/stream/streamTypes.ts';

export interface PlainTick {
  symbol: string;
  source: string;
  tsUs: number;
  bid: number;
  ask: number;
  bidSize?: number;
  askSize?: number;
  recvUs?: number;
  seq?: number;
  noExchangeTime?: boolean;
}

function streamOrder(a: PlainTick, b: PlainTick): number {
  if (a.tsUs !== b.tsUs) return a.tsUs - b.tsUs;
  if (a.symbol !== b.symbol) return a.symbol < b.symbol ? -1 : 1;
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  return a.bid - b.bid || a.ask - b.ask || (a.seq ?? 0) - (b.seq ?? 0);
}

export function toPages(ticks: readonly PlainTick[], pageTicks: number): StreamColumns[] {
  const sorted = [...ticks].sort(streamOrder);
  const pages: StreamColumns[] = [];
  for (let at = 0; at < sorted.length; at += pageTicks) {
    const part = sorted.slice(at, at + pageTicks);
    const symbols: string[] = [];
    const sources: string[] = [];
    const n = part.length;
    const page: StreamColumns = streamColumnsOf(n, symbols, sources);
    part.forEach((t, i) => {
      if (!symbols.includes(t.symbol)) symbols.push(t.symbol);
      if (!sources.includes(t.source)) sources.push(t.source);
      page.symbol[i] = symbols.indexOf(t.symbol);
      page.source[i] = sources.indexOf(t.source);
      page.tsUs[i] = t.tsUs;
      page.bid[i] = t.bid;
      page.ask[i] = t.ask;
      page.bidSize[i] = t.bidSize ?? Number.NaN;
      page.askSize[i] = t.askSize ?? Number.NaN;
      page.recvUs[i] = t.noExchangeTime ? t.tsUs : (t.recvUs ?? t.tsUs);
      page.seq[i] = t.seq ?? Number.NaN;
      page.noExchangeTime[i] = t.noExchangeTime ? 1 : 0;
    });
    pages.push(page);
  }
  return pages;
}
