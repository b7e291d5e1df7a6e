// MetaTrader 5 tick export: tab-separated with a header `<DATE> <TIME> <BID> <ASK> <LAST> <VOLUME>
// <FLAGS>`, date `2024.01.02`, time `00:00:00.123`, in broker server time. A row only carries the
// prices that changed: an empty bid or ask means "unchanged", so the last value is carried forward.
import { US_PER_HOUR } from '../../../shared/time.ts';
import { parseMt5DateTime } from '../timeParsing.ts';
import type { ReadContext } from './readContext.ts';
import { priceOf } from './readContext.ts';

export const MT5_SOURCE = 'mt5';
export const MT5_HEADER = /^<DATE>\t<TIME>\t/i;

export function mt5Line(ctx: ReadContext, serverOffsetHours: number): (line: string, lineNo: number) => void {
  const symbol = ctx.useFallbackSymbol();
  const offsetUs = Math.round(serverOffsetHours * US_PER_HOUR);
  let cols: { date: number; time: number; bid: number; ask: number } | null = null;
  let lastBid = Number.NaN;
  let lastAsk = Number.NaN;
  if (serverOffsetHours !== 0) ctx.note(`server times shifted by ${-serverOffsetHours} h to UTC`);
  else ctx.note('server times taken as UTC (no --server-offset-hours given)');
  return (line, lineNo) => {
    if (line.length === 0) return;
    const p = line.split('\t');
    if (cols === null) {
      const names = p.map((s) => s.trim().toUpperCase());
      cols = {
        date: names.indexOf('<DATE>'),
        time: names.indexOf('<TIME>'),
        bid: names.indexOf('<BID>'),
        ask: names.indexOf('<ASK>'),
      };
      if (cols.date < 0 || cols.time < 0 || cols.bid < 0 || cols.ask < 0) {
        ctx.reject(lineNo, 'not_a_tick: the header lacks <DATE>, <TIME>, <BID> or <ASK>');
        cols = null;
      }
      return;
    }
    if (symbol === null) {
      ctx.reject(lineNo, 'symbol_missing: the file name does not name a symbol; pass --symbol');
      return;
    }
    const server = parseMt5DateTime(p[cols.date] ?? '', p[cols.time] ?? '');
    if (Number.isNaN(server)) {
      ctx.reject(
        lineNo,
        `time_invalid: ${JSON.stringify(`${p[cols.date]} ${p[cols.time]}`)} is not YYYY.MM.DD HH:MM:SS.mmm`,
      );
      return;
    }
    const bidCell = p[cols.bid] ?? '';
    const askCell = p[cols.ask] ?? '';
    if (bidCell === '' && askCell === '') {
      ctx.note('rows without bid or ask (trades only) skipped');
      return;
    }
    if (bidCell !== '') lastBid = priceOf(bidCell);
    if (askCell !== '') lastAsk = priceOf(askCell);
    if (Number.isNaN(lastBid) || Number.isNaN(lastAsk)) {
      ctx.reject(
        lineNo,
        `${Number.isNaN(lastBid) ? 'bid' : 'ask'}_missing: empty and no earlier value to carry forward`,
      );
      return;
    }
    ctx.add(symbol, MT5_SOURCE, server - offsetUs, lastBid, lastAsk, lineNo);
  };
}
