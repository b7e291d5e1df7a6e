// The export's stream read in a worker of its own (pipedStream.ts): the pages it hands over are
// the in-thread stream's, tick for tick, in order; it is read in order only; a null cursor starts
// it again; a reader failure surfaces as an error naming it; it reads at most `depth` pages ahead;
// a read the job started beside the export worker is adopted only for the selection it reads.
import assert from 'node:assert/strict';
import path from 'node:path';
import { setTimeout } from 'node:timers/promises';
import test from 'node:test';
import type { Worker } from 'node:worker_threads';
import { pipedStream, startStreamRead } from '../../../electron/engine/export/pipedStream.ts';
import { POSTED, STOP, TAKEN } from '../../../electron/engine/workers/streamReadApi.ts';
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

const SEL: StreamSelection = { symbols: [], fromUs: DAY, toUs: DAY + 86_400_000_000 };

/** A recorded day of N ticks over three symbols and two LPs, and its in-thread stream (pages of 4096). */
async function recordedDay(): Promise<{ sqliteDir: string; expected: string[] }> {
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
  const reader = new TickReader(sqliteDir);
  const expected = readAll(createTickStreamReader(reader), SEL, 4096);
  reader.close();
  assert.equal(expected.length, N);
  return { sqliteDir, expected };
}

test('the piped stream hands over exactly the in-thread stream, in order, and restarts on a null cursor', async () => {
  const { sqliteDir, expected } = await recordedDay();
  const sel = SEL;

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

test('a read started beside the export worker is adopted for its own selection, and stopped for another', async () => {
  const { sqliteDir, expected } = await recordedDay();
  const exited = (w: Worker) => new Promise<number>((r) => w.once('exit', r));

  // The same selection, as a structured-clone copy (what the export worker receives).
  const same = startStreamRead(sqliteDir, SEL, 4096);
  const sameExit = exited(same.worker);
  const adopted = pipedStream(sqliteDir, 2, same.end);
  try {
    assert.deepEqual(readAll(adopted, structuredClone(SEL), 4096), expected);
    const signal = new Int32Array(same.end.signal);
    assert.equal(Atomics.load(signal, TAKEN), Math.ceil(N / 4096), 'every page came from the started read');
  } finally {
    adopted.close();
  }
  assert.equal(await sameExit, 0, 'the started read ends by itself after its last page');

  // Another selection: the started read is told to stop, and the stream reads the right ticks anyway.
  const other = startStreamRead(sqliteDir, SEL, 4096);
  const otherExit = exited(other.worker);
  const own = pipedStream(sqliteDir, 2, other.end);
  try {
    const onlyA = { ...SEL, symbols: ['A'] };
    assert.deepEqual(
      readAll(own, onlyA, 4096),
      expected.filter((t) => t.startsWith('A ')),
    );
    const signal = new Int32Array(other.end.signal);
    assert.equal(Atomics.load(signal, STOP), 1);
    assert.ok(Atomics.load(signal, TAKEN) === 0, 'nothing was taken from the mismatched read');
  } finally {
    own.close();
  }
  assert.equal(await otherExit, 0, 'the mismatched read stops by itself');

  // Unread, a read posts `depth` pages and waits there.
  const idle = startStreamRead(sqliteDir, SEL, 1000, 2);
  const idleExit = exited(idle.worker);
  const signal = new Int32Array(idle.end.signal);
  for (let i = 0; i < 100 && Atomics.load(signal, POSTED) < 2; i++) await setTimeout(20);
  await setTimeout(300);
  assert.equal(Atomics.load(signal, POSTED), 2);
  pipedStream(sqliteDir, 2, idle.end).close();
  assert.equal(await idleExit, 0);
});
