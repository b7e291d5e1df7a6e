// Fixed CSV layouts other tools import as they are.
//
// mt5: MetaTrader 5's "Import ticks" (Symbols > Ticks > Import Ticks) reads the layout its own
// "Export Ticks" writes: tab-separated, header `<DATE> <TIME> <BID> <ASK> <LAST> <VOLUME> <FLAGS>`,
// date `YYYY.MM.DD`, time `HH:MM:SS.mmm` (millisecond precision), LAST/VOLUME empty for a quote,
// FLAGS the MqlTick bit set: TICK_FLAG_BID = 2, TICK_FLAG_ASK = 4 (what changed since the previous
// tick). See https://www.metatrader5.com/en/terminal/help/trading_advanced/custom_instruments
// ("Importing ticks") and https://www.mql5.com/en/docs/constants/structures/mqltick.
//
// tardis: tardis.dev's `quotes` data type CSV,
// `exchange,symbol,timestamp,local_timestamp,ask_amount,ask_price,bid_price,bid_amount`, times in
// µs since the epoch (https://docs.tardis.dev/downloadable-csv-files#quotes). The source stands in
// for the exchange; local_timestamp is the recorder's receive time.
import type { CsvPreset } from '../../../shared/export.ts';
import type { StreamColumns } from '../stream/streamTypes.ts';
import { csvText } from './csvWriter.ts';
import { num } from './numberText.ts';

const TICK_FLAG_BID = 2;
const TICK_FLAG_ASK = 4;

export function presetHeader(p: CsvPreset): string {
  return p === 'mt5'
    ? '<DATE>\t<TIME>\t<BID>\t<ASK>\t<LAST>\t<VOLUME>\t<FLAGS>\n'
    : 'exchange,symbol,timestamp,local_timestamp,ask_amount,ask_price,bid_price,bid_amount\n';
}

/** One line; `prev` holds each symbol's last bid/ask for mt5's change flags. */
export function presetLine(
  preset: CsvPreset,
  p: StreamColumns,
  i: number,
  prev: Map<string, [number, number]>,
): string {
  const bid = p.bid[i]!;
  const ask = p.ask[i]!;
  const symbol = p.symbols[p.symbol[i]!]!;
  if (preset === 'tardis') {
    return `${csvText(p.sources[p.source[i]!]!)},${csvText(symbol)},${p.tsUs[i]!},${p.recvUs[i]!},${num(p.askSize[i]!)},${num(ask)},${num(bid)},${num(p.bidSize[i]!)}\n`;
  }
  const last = prev.get(symbol);
  const flags = (last && last[0] === bid ? 0 : TICK_FLAG_BID) | (last && last[1] === ask ? 0 : TICK_FLAG_ASK);
  prev.set(symbol, [bid, ask]);
  return `${mt5Time(p.tsUs[i]!)}\t${num(bid)}\t${num(ask)}\t\t\t${flags}\n`;
}

/** `YYYY.MM.DD\tHH:MM:SS.mmm` in UTC. */
export function mt5Time(tsUs: number): string {
  const iso = new Date(Math.floor(tsUs / 1000)).toISOString(); // 2019-02-04T00:00:00.123Z
  return `${iso.slice(0, 4)}.${iso.slice(5, 7)}.${iso.slice(8, 10)}\t${iso.slice(11, 23)}`;
}
