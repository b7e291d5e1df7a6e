// The ordered stream over a big archived day: read in pages, it is the same as the same ticks on
// a live day (late ticks stored after compaction merged in key order, ties at block boundaries
// included), and each block is decoded about once for the whole paged read, not once per page.
import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';
import Database from 'better-sqlite3';
import { TickReader } from '../../../electron/engine/reader/tickReader.ts';
import { BlockCache } from '../../../electron/engine/stream/blockCache.ts';
import { createTickStreamReader } from '../../../electron/engine/stream/streamReader.ts';
import type {
  StreamColumns,
  StreamSelection,
  TickStreamReader,
} from '../../../electron/engine/stream/streamTypes.ts';
import type { TickInput } from '../../../shared/tick.ts';
import { openTestStore } from '../../helpers/testStore.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const US_PER_DAY = 86_400_000_000;
const DAY_A = Date.UTC(2024, 0, 2) * 1000;
const DAY_B = DAY_A + US_PER_DAY;
const NOW = Date.UTC(2024, 0, 10, 12) * 1000;
const TICKS = 210_000;

/** Ticks of one symbol: two sources, three ticks to a timestamp, so block edges fall on ties. */
function dayTicks(dayUs: number): TickInput[] {
  const out: TickInput[] = [];
  for (let i = 0; i < TICKS; i++) {
    const ts = dayUs + Math.floor(i / 3) * 100_000;
    const bid = 1.1 + (i % 11) * 0.0001;
    out.push({
      symbol: 'EURUSD',
      source: i % 2 ? 'lp1' : 'lp2',
      tsUs: ts,
      bid,
      ask: bid + 0.0002 + (i % 3) * 0.0001,
      bidSize: 1 + (i % 5),
      askSize: 2 + (i % 7),
      recvUs: ts + 40 + (i % 9),
      seq: i,
    });
  }
  return out;
}

/** Late ticks at the given times of the day: ties with stored ticks, and ticks between them. */
function lateTicks(dayUs: number, times: number[]): TickInput[] {
  return times.flatMap((t, k) => [
    { symbol: 'EURUSD', source: 'lp1', tsUs: dayUs + t, bid: 1.0995, ask: 1.0999, recvUs: dayUs + t + 7 },
    {
      symbol: 'EURUSD',
      source: 'late',
      tsUs: dayUs + t + (k % 2),
      bid: 1.1105,
      ask: 1.1109,
      recvUs: dayUs + t + 9,
      seq: 9e6 + k,
    },
  ]);
}

function readPaged(
  s: TickStreamReader,
  sel: StreamSelection,
  size: number,
): { cols: StreamColumns[]; pages: number } {
  const cols: StreamColumns[] = [];
  let cursor: string | null = null;
  do {
    const p = s.page(sel, cursor, size);
    assert.ok(p.ticks.length <= size);
    cols.push(p.ticks);
    cursor = p.cursor;
  } while (cursor !== null);
  return { cols, pages: cols.length };
}

/** The ticks as rows with tsUs relative to their day, for comparing two days' reads. */
function rows(pages: StreamColumns[], dayUs: number): string[] {
  const out: string[] = [];
  for (const c of pages)
    for (let i = 0; i < c.length; i++)
      out.push(
        [
          c.symbols[c.symbol[i]],
          c.sources[c.source[i]],
          c.tsUs[i] - dayUs,
          c.bid[i],
          c.ask[i],
          c.bidSize[i],
          c.askSize[i],
          c.recvUs[i] - dayUs,
          c.seq[i],
          c.noExchangeTime[i],
        ].join(' '),
      );
  return out;
}

test('a big archived day read in pages is the live day, decoding each block about once', async () => {
  const { store, dir } = await openTestStore('archived-stream', NOW);
  try {
    for (const t of dayTicks(DAY_A)) store.ingest(t);
    for (const t of dayTicks(DAY_B)) store.ingest(t);
    await store.flush();
    store.compact({ days: ['2024-01-02'] });
    await waitFor('compaction to finish', () => !store.compactionStatus().running, 90_000);
    const done = store.compactionStatus();
    assert.deepEqual([done.skipped, done.failed, done.daysDone], [[], [], 1]);

    // Late ticks at every block's first and last time, and between, stored on both days.
    const reader = new TickReader(path.join(dir, 'sqlite'));
    const [ref] = reader.dayFiles().filesIn(DAY_A, DAY_A + 1);
    const file = new Database(ref.path, { readonly: true });
    const edges = file
      .prepare('SELECT t_first, t_last FROM blocks ORDER BY t_first')
      .raw()
      .all() as number[][];
    file.close();
    const blocks = edges.length;
    assert.ok(blocks >= 6, `the day is in ${blocks} blocks`);
    const times = [
      ...new Set(edges.flat()),
      50,
      123_456_789,
      edges[2][0] + 50_000,
      edges[blocks - 1][1] + 1_000_000,
    ];
    for (const t of lateTicks(DAY_A, times)) store.ingest(t);
    for (const t of lateTicks(DAY_B, times)) store.ingest(t);
    await store.flush();

    assert.ok(
      reader.days().some((d) => d.day === '2024-01-02' && d.liveBytes !== null),
      'day A is archived',
    );
    const cache = new BlockCache();
    const s = createTickStreamReader(reader, cache);
    const selA: StreamSelection = { symbols: ['EURUSD'], fromUs: DAY_A, toUs: DAY_A + US_PER_DAY };
    const selB: StreamSelection = { symbols: ['EURUSD'], fromUs: DAY_B, toUs: DAY_B + US_PER_DAY };
    const live = rows(readPaged(s, selB, 1_000_000).cols, DAY_B);
    assert.equal(live.length, TICKS + 2 * times.length);

    let t0 = performance.now();
    const whole = readPaged(s, selA, 1_000_000);
    const oneRead = performance.now() - t0;
    assert.equal(whole.pages, 1);
    assert.equal(cache.decodes, blocks, 'one read decodes each block once');
    assert.deepEqual(rows(whole.cols, DAY_A), live, 'archived + late = live, in one page');

    // A cache of its own: nothing decoded before.
    const pagedCache = new BlockCache();
    const paged = createTickStreamReader(reader, pagedCache);
    t0 = performance.now();
    const byPages = readPaged(paged, selA, 10_000);
    const pagedRead = performance.now() - t0;
    assert.ok(byPages.pages >= 21);
    assert.deepEqual(rows(byPages.cols, DAY_A), live, 'archived + late = live, in pages of 10K');
    assert.ok(
      pagedCache.decodes <= blocks + 1,
      `${pagedCache.decodes} block decodes for ${blocks} blocks over ${byPages.pages} pages`,
    );
    console.log(
      `# ${TICKS} archived ticks, ${blocks} blocks: one read ${oneRead.toFixed(0)} ms, ` +
        `${byPages.pages} pages ${pagedRead.toFixed(0)} ms, ${pagedCache.decodes} decodes`,
    );

    // A cache bound of one row keeps only the last block decoded: a part of the day without sizes
    // is still the same slice of it, its 4 blocks decoded once each (a page resumes in the block
    // the last one ended in), and a second read decodes all 4 again (the first evicts the last).
    const tight = new BlockCache(1);
    const noKeep = createTickStreamReader(reader, tight);
    const part: StreamSelection = {
      ...selA,
      fromUs: DAY_A + edges[1][1],
      toUs: DAY_A + edges[4][0] + 1,
      sizes: false,
    };
    const got = rows(readPaged(noKeep, part, 7_777).cols, DAY_A);
    const want = rows(
      readPaged(
        s,
        { ...selB, fromUs: part.fromUs + US_PER_DAY, toUs: part.toUs + US_PER_DAY, sizes: false },
        1_000_000,
      ).cols,
      DAY_B,
    );
    assert.ok(want.length > 60_000, `${want.length} ticks in the part`);
    assert.deepEqual(got, want, 'a part of the day without sizes');
    assert.equal(tight.decodes, 4);
    assert.deepEqual(rows(readPaged(noKeep, part, 7_777).cols, DAY_A), want, 'read again');
    assert.equal(tight.decodes, 4 + 4, 'the evicted blocks are decoded again');
    reader.close();
  } finally {
    await store.stop();
  }
});
