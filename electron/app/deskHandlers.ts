// desk.status and desk.ticks: one symbol's ticks read back from the desk's ClickHouse (every
// workstation's forwarded rows), FINAL so re-sent batches count once, in ticks.range's shape.
// Pages continue by offset: the order (time, source, prices, update id) is the table's whole
// identity, so an offset names the same row on every read of unchanged data.
import type { deskRequests } from '../../shared/ipc/deskChannels.ts';
import type { DeskStatus, DeskTickPage } from '../../shared/desk.ts';
import type { SinkHealth } from '../../shared/sinkStatus.ts';
import { ClickhouseError, ClickhouseHttp } from '../engine/sink/clickhouseHttp.ts';
import type { ClickhouseSinkConfig } from '../engine/sink/sinkConfig.ts';
import { sinkTarget } from '../engine/sink/sinkConfig.ts';
import type { HandlerMap } from './handlerTypes.ts';
import { HandlerError } from './handlerTypes.ts';

export type DeskChannel = keyof typeof deskRequests;

const DEFAULT_LIMIT = 50_000;
const US_PER_DAY = 86_400_000_000;

export interface DeskDeps {
  config: ClickhouseSinkConfig | null;
  sink: () => SinkHealth | null;
}

function sqlString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function unescapeTsv(s: string): string {
  return s.includes('\\')
    ? s.replace(/\\(.)/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c))
    : s;
}

function dayOf(tsUs: number): string {
  return new Date(Math.floor(tsUs / US_PER_DAY) * 86_400_000).toISOString().slice(0, 10);
}

function size(text: string): number | null {
  const v = Number(text);
  return Number.isNaN(v) ? null : v;
}

/** Interns names into a page's table: index per tick. */
function interner(): { names: string[]; index(name: string): number } {
  const names: string[] = [];
  const at = new Map<string, number>();
  return {
    names,
    index(name) {
      let i = at.get(name);
      if (i === undefined) {
        i = names.length;
        names.push(name);
        at.set(name, i);
      }
      return i;
    },
  };
}

export function parseDeskRows(symbol: string, tsv: string, limit: number, offset: number): DeskTickPage {
  const lines = tsv.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const more = lines.length > limit;
  const n = Math.min(lines.length, limit);
  const sources = interner();
  const workstations = interner();
  const page: DeskTickPage = {
    symbol,
    tsUs: new Array<number>(n),
    bid: new Array<number>(n),
    ask: new Array<number>(n),
    source: new Array<number>(n),
    sources: sources.names,
    bidSize: new Array<number | null>(n),
    askSize: new Array<number | null>(n),
    workstation: new Array<number>(n),
    workstations: workstations.names,
    nextCursor: more ? String(offset + n) : null,
  };
  for (let i = 0; i < n; i++) {
    const f = lines[i].split('\t');
    page.tsUs[i] = Number(f[0]);
    page.source[i] = sources.index(unescapeTsv(f[1]));
    page.bid[i] = Number(f[2]);
    page.ask[i] = Number(f[3]);
    page.bidSize![i] = size(f[4]);
    page.askSize![i] = size(f[5]);
    page.workstation[i] = workstations.index(unescapeTsv(f[6]));
  }
  return page;
}

export function createDeskHandlers(d: DeskDeps): { handlers: HandlerMap<DeskChannel>; close(): void } {
  let http: ClickhouseHttp | null = null;
  const client = (c: ClickhouseSinkConfig): ClickhouseHttp => (http ??= new ClickhouseHttp(c, 15_000));

  const handlers: HandlerMap<DeskChannel> = {
    'desk.status': async (): Promise<DeskStatus> => {
      const c = d.config;
      return {
        configured: c !== null,
        target: c ? sinkTarget(c) : null,
        table: c?.table ?? null,
        cluster: c?.cluster ?? null,
        workstation: c?.workstation ?? null,
        sink: d.sink(),
      };
    },
    'desk.ticks': async ({ symbol, fromUs, toUs, limit, cursor }) => {
      const c = d.config;
      if (c === null)
        throw new HandlerError('unavailable', 'no desk ClickHouse is configured (set TICK_CLICKHOUSE_URL)');
      if (fromUs > toUs) throw new HandlerError('invalid_argument', 'fromUs is after toUs');
      const n = limit ?? DEFAULT_LIMIT;
      const offset = cursor === undefined ? 0 : Number(cursor);
      // The day bounds let ClickHouse skip other days' partitions; ts_us is the exact range.
      const sql =
        `SELECT ts_us, source, bid, ask, bid_size, ask_size, workstation FROM ${c.table} FINAL ` +
        `WHERE symbol = ${sqlString(symbol)} AND day >= '${dayOf(fromUs)}' AND day <= '${dayOf(Math.max(fromUs, toUs - 1))}' ` +
        `AND ts_us >= ${fromUs} AND ts_us < ${toUs} ` +
        `ORDER BY ts_us, source, bid, ask, seq LIMIT ${offset}, ${n + 1} FORMAT TabSeparated`;
      let text: string;
      try {
        text = await client(c).query(sql);
      } catch (e) {
        if (e instanceof ClickhouseError)
          throw new HandlerError('unavailable', `desk ClickHouse (${sinkTarget(c)}): ${e.message}`);
        throw e;
      }
      return parseDeskRows(symbol, text, n, offset);
    },
  };
  return {
    handlers,
    close: () => {
      http?.close();
      http = null;
    },
  };
}
