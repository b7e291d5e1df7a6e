// Line formats: TrueFX CSV (`EUR/USD,20160502 00:00:00.959,1.14601,1.14605`, UTC) and HistData
// tick CSV (`20120201 000003660,1.306600,1.306770,0`, fixed UTC-5 all year: EST without DST).
import { US_PER_HOUR } from '../../../shared/time.ts';
import { parseCompactDateColonTime, parseCompactDigitsTime } from '../timeParsing.ts';
import type { ReadContext } from './readContext.ts';
import { priceOf } from './readContext.ts';

export const TRUEFX_SOURCE = 'truefx';
export const HISTDATA_SOURCE = 'histdata';
/** HistData times are EST without daylight saving, i.e. UTC-5 all year. */
export const HISTDATA_UTC_OFFSET_US = -5 * US_PER_HOUR;

export const TRUEFX_LINE = /^[A-Za-z0-9]{2,12}\/?[A-Za-z0-9]{0,12},\d{8} \d\d:\d\d:\d\d(\.\d+)?,/;
export const HISTDATA_LINE = /^\d{8} \d{9},/;

/** TrueFX writes EUR/USD; the rest of the store (and every other source) says EURUSD. */
export function normalizeTrueFxSymbol(s: string): string {
  return s.replace('/', '').toUpperCase();
}

export function trueFxLine(ctx: ReadContext): (line: string, lineNo: number) => void {
  let lastRaw = '';
  let lastSymbol = '';
  return (line, lineNo) => {
    if (line.length === 0) return;
    const p = line.split(',');
    if (p.length < 4) {
      ctx.reject(lineNo, `not_a_tick: expected symbol,time,bid,ask but found ${p.length} fields`);
      return;
    }
    const tsUs = parseCompactDateColonTime(p[1]);
    if (Number.isNaN(tsUs)) {
      ctx.reject(lineNo, `time_invalid: ${JSON.stringify(p[1].slice(0, 40))} is not YYYYMMDD HH:MM:SS.mmm`);
      return;
    }
    if (p[0] !== lastRaw) {
      lastRaw = p[0];
      lastSymbol = normalizeTrueFxSymbol(p[0]);
    }
    ctx.add(lastSymbol, TRUEFX_SOURCE, tsUs, priceOf(p[2]), priceOf(p[3]), lineNo);
  };
}

export function histDataLine(ctx: ReadContext): (line: string, lineNo: number) => void {
  const symbol = ctx.useFallbackSymbol();
  return (line, lineNo) => {
    if (line.length === 0) return;
    const p = line.split(',');
    if (p.length < 3) {
      ctx.reject(lineNo, `not_a_tick: expected time,bid,ask,volume but found ${p.length} fields`);
      return;
    }
    if (symbol === null) {
      ctx.reject(lineNo, 'symbol_missing: the file name does not name a symbol; pass --symbol');
      return;
    }
    const local = parseCompactDigitsTime(p[0]);
    if (Number.isNaN(local)) {
      ctx.reject(lineNo, `time_invalid: ${JSON.stringify(p[0].slice(0, 40))} is not YYYYMMDD HHMMSSmmm`);
      return;
    }
    ctx.add(symbol, HISTDATA_SOURCE, local - HISTDATA_UTC_OFFSET_US, priceOf(p[1]), priceOf(p[2]), lineNo);
  };
}
