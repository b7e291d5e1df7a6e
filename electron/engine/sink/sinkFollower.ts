// Follows the day files in day order and forwards every stored tick to ClickHouse, one stream
// page (a batch of `batchRows`) per insert; the cursor file only moves after ClickHouse
// acknowledged the insert, so the local store is the queue: an outage of any length holds the
// cursor back and is caught up after, and a crash between insert and cursor write re-sends one
// batch, which the ReplacingMergeTree identity key folds away (queries read FINAL).
//
// Late ticks: a day file is keyed by time, not arrival, so a tick that arrives with an older
// timestamp lands behind the stream cursor. Per day the cursor remembers how many ticks it
// covers; when the day's stored count (cheap, from the catalog) exceeds that and the stream has
// nothing after the cursor, the day is forwarded again from its start. Re-sent rows are
// harmless duplicates for FINAL; the cost is one more pass over that day.
import type { StreamColumns, StreamCursor, TickStreamReader } from '../stream/streamTypes.ts';
import { decodeStreamCursor, encodeStreamCursor } from '../stream/streamCursor.ts';
import { dayKeyToIndex, dayIndexToStartUs, US_PER_DAY } from '../../../shared/time.ts';
import type { SinkStatus } from '../../../shared/sinkStatus.ts';
import { RateMeter } from '../metrics/rateMeter.ts';
import { loadSinkCursor, saveSinkCursor, type DayCursor, type SinkCursorState } from './sinkCursor.ts';
import { tickRowsTsv } from './tickRowsTsv.ts';

export interface StoredDay {
  day: string;
  ticks: number;
}

export interface TsvInserter {
  insertTsv(table: string, tsv: Buffer): Promise<unknown>;
}

export interface SinkFollowerOptions {
  stream: TickStreamReader;
  /** The store's days with their tick counts (TickReader.days()). */
  days: () => readonly StoredDay[];
  clickhouse: TsvInserter;
  /** Table to insert into, e.g. tickscope.ticks (the Distributed one). */
  table: string;
  workstation: string;
  cursorFile: string;
  /** Rows per insert, 10K-100K. */
  batchRows?: number;
  /** Oldest day to forward (YYYY-MM-DD); absent: every stored day. */
  backfillFrom?: string;
  nowMs?: () => number;
  target?: string;
  /** After every acknowledged batch (a long backfill reports progress before its pass ends). */
  onBatch?: () => void;
}

export const DEFAULT_BATCH_ROWS = 50_000;

/** The cursor just after the last tick of `t`, given the cursor the page started after. */
export function cursorAfter(t: StreamColumns, before: StreamCursor | null): StreamCursor {
  const last = t.length - 1;
  const ts = t.tsUs[last];
  const sym = t.symbol[last];
  let skip = 0;
  let i = last;
  while (i >= 0 && t.tsUs[i] === ts && t.symbol[i] === sym) {
    skip++;
    i--;
  }
  if (i < 0 && before !== null) {
    const b = decodeStreamCursor(before);
    if (b.tsUs === ts && b.symbol === t.symbols[sym]) skip += b.skip;
  }
  return encodeStreamCursor({ tsUs: ts, symbol: t.symbols[sym], skip });
}

export class SinkFollower {
  private readonly o: SinkFollowerOptions;
  private readonly batchRows: number;
  private readonly nowMs: () => number;
  private state: SinkCursorState;
  private readonly rate = new RateMeter(10);
  private forwardedTotal = 0;
  private newestRecvUs = 0;
  private lastError: string | null = null;
  private lastErrorAtMs: number | null = null;
  private failures = 0;
  private lastDays: readonly StoredDay[] = [];

  constructor(o: SinkFollowerOptions) {
    this.o = o;
    this.batchRows = Math.min(Math.max(o.batchRows ?? DEFAULT_BATCH_ROWS, 1), 100_000);
    this.nowMs = o.nowMs ?? Date.now;
    this.state = loadSinkCursor(o.cursorFile);
  }

  /**
   * One pass: forwards what is stored and not yet acknowledged, day by day. Returns the rows
   * acknowledged; throws the insert's error (the cursor stays where ClickHouse last agreed).
   */
  async step(): Promise<number> {
    const today = Math.floor(this.nowMs() / 86_400_000);
    const days = this.selectedDays();
    this.lastDays = days;
    let rows = 0;
    try {
      for (const d of days) rows += await this.forwardDay(d, (dayKeyToIndex(d.day) ?? today) < today);
    } catch (e) {
      this.failures++;
      this.lastError = e instanceof Error ? e.message : String(e);
      this.lastErrorAtMs = this.nowMs();
      throw e;
    }
    this.failures = 0;
    return rows;
  }

  status(): SinkStatus {
    const now = this.nowMs();
    let lag = 0;
    for (const d of this.lastDays) {
      const c = this.state.days[d.day];
      lag += Math.max(0, d.ticks - (c?.sent ?? 0));
    }
    return {
      enabled: true,
      target: this.o.target ?? this.o.table,
      workstation: this.o.workstation,
      lagTicks: lag,
      lagSeconds: lag > 0 && this.newestRecvUs > 0 ? Math.max(0, (now - this.newestRecvUs / 1000) / 1000) : 0,
      rowsPerSecond: this.rate.perSecond(now),
      forwardedTotal: this.forwardedTotal,
      lastError: this.lastError,
      lastErrorAtMs: this.lastErrorAtMs,
      failures: this.failures,
    };
  }

  private selectedDays(): StoredDay[] {
    const from = this.o.backfillFrom;
    return [...this.o.days()]
      .filter((d) => from === undefined || d.day >= from)
      .sort((a, b) => (a.day < b.day ? -1 : 1));
  }

  private async forwardDay(d: StoredDay, closed: boolean): Promise<number> {
    let c: DayCursor = this.state.days[d.day] ?? { cursor: null, sent: 0, done: false };
    if (c.done && d.ticks <= c.sent) return 0;
    if (c.done) c = { cursor: null, sent: 0, done: false };
    const startUs = dayIndexToStartUs(dayKeyToIndex(d.day) ?? 0);
    const sel = { symbols: [], fromUs: startUs, toUs: startUs + US_PER_DAY };
    let rows = 0;
    let restarted = false;
    let page = this.o.stream.page(sel, c.cursor, this.batchRows);
    for (;;) {
      const t = page.ticks;
      if (t.length === 0) {
        if (d.ticks > c.sent && c.cursor !== null && !restarted) {
          // Ticks stored behind the cursor (arrived late with older times): one more pass.
          restarted = true;
          c = { cursor: null, sent: 0, done: false };
          page = this.o.stream.page(sel, null, this.batchRows);
          continue;
        }
        if (closed && c.sent >= d.ticks && !c.done) {
          c = { ...c, done: true };
          await this.save(d.day, c);
        }
        return rows;
      }
      const sending = this.o.clickhouse.insertTsv(this.o.table, tickRowsTsv(t, this.o.workstation));
      const next: DayCursor = {
        cursor: page.cursor ?? cursorAfter(t, c.cursor),
        sent: c.sent + t.length,
        done: false,
      };
      // The next page is read while ClickHouse stores this one; it is only sent after the ack.
      const ahead = this.o.stream.page(sel, next.cursor, this.batchRows);
      await sending;
      c = next;
      await this.save(d.day, c);
      rows += t.length;
      this.forwardedTotal += t.length;
      this.rate.add(t.length, this.nowMs());
      for (let i = 0; i < t.length; i++) if (t.recvUs[i] > this.newestRecvUs) this.newestRecvUs = t.recvUs[i];
      this.lastError = null;
      this.o.onBatch?.();
      page = ahead;
    }
  }

  private async save(day: string, c: DayCursor): Promise<void> {
    this.state = { version: 1, days: { ...this.state.days, [day]: c } };
    await saveSinkCursor(this.o.cursorFile, this.state);
  }
}
