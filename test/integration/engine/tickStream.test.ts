// The ordered tick stream over real day files: order and tie order across symbols and sources,
// resume from every cursor, live and archived days alike, source filter, the receive time, seq
// and no-exchange-time round trip, bounded pages, a bad cursor, and streamPage over the store.
import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';
import { TickReader } from '../../../electron/engine/reader/tickReader.ts';
import { createTickStreamReader } from '../../../electron/engine/stream/streamReader.ts';
import { SymbolChunks } from '../../../electron/engine/stream/symbolChunks.ts';
import type {
  StreamPage,
  StreamSelection,
  TickStreamReader,
} from '../../../electron/engine/stream/streamTypes.ts';
import type { TickInput } from '../../../shared/tick.ts';
import { openTestStore } from '../../helpers/testStore.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const US_PER_DAY = 86_400_000_000;
const DAY1 = Date.UTC(2024, 0, 2) * 1000;
const NOW = Date.UTC(2024, 0, 10, 12) * 1000;

interface Row {
  symbol: string;
  source: string;
  tsUs: number;
  bid: number;
  ask: number;
  recvUs: number;
  seq: number;
  noTime: number;
}

function rowsOf(p: StreamPage): Row[] {
  const c = p.ticks;
  const out: Row[] = [];
  for (let i = 0; i < c.length; i++)
    out.push({
      symbol: c.symbols[c.symbol[i]],
      source: c.sources[c.source[i]],
      tsUs: c.tsUs[i],
      bid: c.bid[i],
      ask: c.ask[i],
      recvUs: c.recvUs[i],
      seq: c.seq[i],
      noTime: c.noExchangeTime[i],
    });
  return out;
}

function readAll(
  s: TickStreamReader,
  sel: StreamSelection,
  size: number,
): { rows: Row[]; cursors: (string | null)[] } {
  const rows: Row[] = [];
  const cursors: (string | null)[] = [null];
  let cursor: string | null = null;
  for (;;) {
    const p = s.page(sel, cursor, size);
    assert.ok(p.ticks.length <= size, 'a page holds at most maxTicks');
    rows.push(...rowsOf(p));
    if (p.cursor === null) break;
    assert.ok(p.ticks.length > 0);
    cursor = p.cursor;
    cursors.push(cursor);
  }
  return { rows, cursors };
}

/** Generated ticks: three symbols, two sources, repeated timestamps, two days. */
function generated(): TickInput[] {
  const out: TickInput[] = [];
  for (let day = 0; day < 2; day++)
    for (let i = 0; i < 400; i++) {
      const ts = DAY1 + day * US_PER_DAY + Math.floor(i / 3) * 1000;
      for (const symbol of ['ZZZ', 'AAA', 'MMM']) {
        if (symbol === 'MMM' && i % 2 === 0) continue;
        const bid = 1.1 + (i % 7) * 0.0001;
        out.push({
          symbol,
          source: i % 2 ? 'lp1' : 'lp2',
          tsUs: ts,
          bid,
          ask: bid + 0.0002,
          recvUs: ts + 50 + i,
          seq: i,
        });
        if (i % 5 === 0)
          out.push({
            symbol,
            source: 'lp1',
            tsUs: ts,
            bid,
            ask: bid + 0.0003,
            recvUs: ts,
            noExchangeTime: true,
          });
      }
    }
  return out;
}

function expectedOrder(rows: Row[]): void {
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1];
    const b = rows[i];
    assert.ok(a.tsUs < b.tsUs || (a.tsUs === b.tsUs && a.symbol <= b.symbol), `order at ${i}`);
  }
}

test('the stream is ordered, resumes from every cursor, and reads archived days as live ones', async () => {
  const { store, dir } = await openTestStore('tick-stream', NOW);
  try {
    const input = generated();
    for (const t of input) store.ingest(t);
    await store.flush();
    const reader = new TickReader(path.join(dir, 'sqlite'));
    const s = createTickStreamReader(reader);
    const sel: StreamSelection = { symbols: [], fromUs: DAY1, toUs: DAY1 + 2 * US_PER_DAY };
    const whole = s.page(sel, null, 1_000_000);
    assert.equal(whole.cursor, null);
    const rows = rowsOf(whole);
    assert.equal(rows.length, input.length);
    expectedOrder(rows);
    // Round trip of the receive time, seq and no-exchange-time flag.
    const noTime = rows.filter((r) => r.noTime === 1);
    assert.equal(noTime.length, input.filter((t) => t.noExchangeTime).length);
    for (const r of noTime) {
      assert.equal(r.recvUs, r.tsUs);
      assert.ok(Number.isNaN(r.seq));
    }
    const withSeq = rows.filter((r) => r.noTime === 0);
    for (const r of withSeq) assert.equal(r.recvUs - r.tsUs, 50 + r.seq);

    for (const size of [1, 7, 100]) {
      const { rows: paged, cursors } = readAll(s, sel, size);
      assert.deepEqual(paged, rows, `pages of ${size}`);
      if (size === 7)
        for (let k = 0; k < cursors.length; k++) {
          const rest = s.page(sel, cursors[k], 1_000_000);
          assert.deepEqual(rowsOf(rest), rows.slice(k * size), `resume from cursor ${k}`);
        }
    }
    // Selections: symbols and sources.
    const one = rowsOf(s.page({ ...sel, symbols: ['MMM'], sources: ['lp1'] }, null, 1_000_000));
    assert.deepEqual(
      one,
      rows.filter((r) => r.symbol === 'MMM' && r.source === 'lp1'),
    );
    assert.ok(one.length > 0);
    const day2 = rowsOf(s.page({ ...sel, fromUs: DAY1 + US_PER_DAY }, null, 1_000_000));
    assert.deepEqual(
      day2,
      rows.filter((r) => r.tsUs >= DAY1 + US_PER_DAY),
    );

    assert.throws(() => s.page(sel, 'garbage!', 10), { name: 'QueryError', message: /stream cursor/ });
    assert.throws(() => s.page(sel, null, 0), { name: 'QueryError', message: /maxTicks/ });

    // Compact the first day: the stream is the same.
    store.compact({ days: ['2024-01-02'] });
    await waitFor('compaction to finish', () => !store.compactionStatus().running, 60_000);
    const done = store.compactionStatus();
    assert.deepEqual([done.skipped, done.failed, done.daysDone], [[], [], 1]);
    const after = new TickReader(path.join(dir, 'sqlite'));
    const s2 = createTickStreamReader(after);
    assert.deepEqual(rowsOf(s2.page(sel, null, 1_000_000)), rows, 'archived + live = live');
    assert.deepEqual(readAll(s2, sel, 13).rows, rows, 'archived, paged');
    assert.ok(
      after.days().some((d) => d.day === '2024-01-02' && d.liveBytes !== null),
      'the first day is in the archive tier',
    );
    // streamPage over the store, through the reader workers, paged.
    const viaStore: Row[] = [];
    let cursor: string | null = null;
    do {
      const p: StreamPage = await store.streamPage(sel, cursor, 97);
      assert.ok(p.ticks.length <= 97);
      assert.ok(p.ticks.tsUs instanceof Float64Array && p.ticks.noExchangeTime instanceof Uint8Array);
      viaStore.push(...rowsOf(p));
      cursor = p.cursor;
    } while (cursor !== null);
    assert.deepEqual(viaStore, rows, 'streamPage over the store');
    await assert.rejects(store.streamPage(sel, null, 1_000_001), { name: 'QueryError', message: /maxTicks/ });
    await assert.rejects(store.streamPage(sel, 'bm90IGEgY3Vyc29y', 5), {
      name: 'QueryError',
      message: /cursor/,
    });
    reader.close();
    after.close();
  } finally {
    await store.stop();
  }
});

test('read-ahead is bounded: a symbol holds at most one chunk, and the chunks cover its ticks', async () => {
  const { store, dir } = await openTestStore('tick-stream-bounds', NOW);
  try {
    for (let i = 0; i < 1000; i++)
      store.ingest({ symbol: 'AAA', tsUs: DAY1 + i, bid: 1, ask: 1.5, source: 'x' });
    await store.flush();
    const reader = new TickReader(path.join(dir, 'sqlite'));
    const open = reader.dayFiles();
    const chunks = new SymbolChunks(open, {
      symbol: 'AAA',
      files: open.filesIn(DAY1, DAY1 + US_PER_DAY),
      startUs: DAY1 + 10,
      toUs: DAY1 + US_PER_DAY,
      skip: 0,
      sources: null,
      sizes: false,
      chunk: 64,
    });
    let seen = 0;
    let fills = 0;
    while (chunks.ready()) {
      assert.ok(chunks.n <= 64 && chunks.tsUs.length === 64, 'one chunk of 64 at most');
      assert.equal(chunks.tsUs[chunks.pos], DAY1 + 10 + seen);
      seen += chunks.n - chunks.pos;
      chunks.pos = chunks.n;
      fills++;
    }
    assert.equal(seen, 990);
    assert.equal(fills, Math.ceil(990 / 64));
    reader.close();
  } finally {
    await store.stop();
  }
});
