// One stream page as TabSeparated rows of the sink's table, in its column order:
// day, symbol, source, ts_us, bid, ask, bid_size, ask_size, recv_us, seq, no_exchange_time,
// workstation. NaN (a missing size) is written as nan, which ClickHouse reads into Float64; a
// missing update id is -1 so the identity key has no NaN in it.
import type { StreamColumns } from '../stream/streamTypes.ts';

const US_PER_DAY = 86_400_000_000;

export const SINK_COLUMNS =
  'day, symbol, source, ts_us, bid, ask, bid_size, ask_size, recv_us, seq, no_exchange_time, workstation';

function escapeTsv(s: string): string {
  return /[\t\n\\]/.test(s) ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n') : s;
}

function dayText(tsUs: number): string {
  return new Date(Math.floor(tsUs / US_PER_DAY) * 86_400_000).toISOString().slice(0, 10);
}

function num(v: number): string {
  return Number.isNaN(v) ? 'nan' : String(v);
}

export function tickRowsTsv(t: StreamColumns, workstation: string): Buffer {
  const symbols = t.symbols.map(escapeTsv);
  const sources = t.sources.map(escapeTsv);
  const ws = escapeTsv(workstation);
  // Rows go into a Buffer chunk by chunk: one long rope of small strings costs far more in GC
  // than the formatting itself.
  const chunks: Buffer[] = [];
  let rows = '';
  // Ticks of one page are mostly one or two days: the day text is cached per day index.
  let dayIdx = -1;
  let day = '';
  for (let i = 0; i < t.length; i++) {
    const ts = t.tsUs[i];
    const di = Math.floor(ts / US_PER_DAY);
    if (di !== dayIdx) {
      dayIdx = di;
      day = dayText(ts);
    }
    const seq = t.seq[i];
    rows +=
      `${day}\t${symbols[t.symbol[i]]}\t${sources[t.source[i]]}\t${ts}\t${num(t.bid[i])}\t${num(t.ask[i])}\t` +
      `${num(t.bidSize[i])}\t${num(t.askSize[i])}\t${t.recvUs[i]}\t${Number.isNaN(seq) ? -1 : seq}\t` +
      `${t.noExchangeTime[i]}\t${ws}\n`;
    if ((i & 1023) === 1023) {
      chunks.push(Buffer.from(rows, 'utf8'));
      rows = '';
    }
  }
  chunks.push(Buffer.from(rows, 'utf8'));
  return Buffer.concat(chunks);
}
