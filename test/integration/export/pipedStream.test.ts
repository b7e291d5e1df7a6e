// The export's stream read in a worker of its own (pipedStream.ts): the pages it hands over are
// the in-thread stream's, tick for tick, in order; it is read in order only; a null cursor starts
// it again; a reader failure surfaces as an error naming it; it reads at most `depth` pages ahead.
import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';
import { pipedStream } from '../../../electron/engine/export/pipedStream.ts';
import { TickReader } from '../../../electron/engine/reader/tickReader.ts';
import { createTickStreamReader } from '../../../electron/engine/stream/streamReader.ts';
import type { StreamSelection, TickStreamReader } from '../../../electron/engine/stream/streamTypes.ts';
import { openTestStore } from '../../helpers/testStore.ts';

const DAY = Date.UTC(2024, 0, 2) * 1000;
const NOW = Date.UTC(2024, 0, 10) * 1000;
const N = 30_000;

function readAll(s: TickStreamReader, sel: StreamSelection, page: number): string[] {
  const out: string[] = [];
  let cursor: string | null = null;
  do {
    const p = s.page(sel, cursor, page);
    const c = p.ticks;
    for (let i = 0; i < c.length; i++)
      out.push(
        `${c.symbols[c.symbol[i]!]} ${c.sources[c.source[i]!]} ${c.tsUs[i]} ${c.bid[i]} ${c.ask[i]} ${c.bidSize[i]} ${c.seq[i]}`,
      );
    cursor = p.cursor;
  } while (cursor !== null);
  return out;
}

test('the piped stream hands over exactly the in-thread stream, in order, and restarts on a null cursor', async () => {
  const { store, dir } = await openTestStore('tickscope-piped-', NOW);
  for (let i = 0; i < N; i++) {
    const bid = 1.1 + (i % 97) * 1e-5;
    store.ingest({
      symbol: ['B', 'A', 'C'][i % 3]!,
      source: i % 5 === 0 ? 'LP2' : 'LP1',
      tsUs: DAY + Math.floor(i / 2) * 1000,
      bid,
      ask: bid + 1e-4,
      bidSize: i % 7,
      seq: i,
    });
    if (i % 5000 === 0) await store.whenWritable();
  }
  await store.flush();
  await store.stop();
  const sqliteDir = path.join(dir, 'sqlite');
  const sel: StreamSelection = { symbols: [], fromUs: DAY, toUs: DAY + 86_400_000_000 };
  const reader = new TickReader(sqliteDir);
  const expected = readAll(createTickStreamReader(reader), sel, 4096);
  reader.close();
  assert.equal(expected.length, N);

  const piped = pipedStream(sqliteDir, 2);
  try {
    assert.deepEqual(readAll(piped, sel, 4096), expected);
    // Again from the start: a null cursor starts a new read.
    const first = piped.page(sel, null, 1000);
    assert.equal(first.ticks.length, 1000);
    assert.throws(
      () => piped.page(sel, null === first.cursor ? 'x' : 'not-the-cursor', 1000),
      /read in order/,
    );
    assert.deepEqual(readAll(piped, sel, 999).length, N);
    // The reader's own refusal (a page size it does not take) comes back with its words.
    assert.throws(() => piped.page(sel, null, 0), /maxTicks must be an integer/);
  } finally {
    piped.close();
  }
});
