// kill -9 at any point of a compaction leaves a readable day with nothing lost: a child process
// compacts a copy of a real day file and SIGKILLs itself at each stage (and midway through the
// blocks); the day file at its path must then open, hold every stored value it held before, and
// a later compaction must succeed despite the stale `.compacting` file.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { swapInArchive } from '../../../electron/engine/archive/archiveSwap.ts';
import { TMP_SUFFIX, prepareArchive } from '../../../electron/engine/archive/compactDay.ts';
import { TickReader } from '../../../electron/engine/reader/tickReader.ts';
import { dayFilePath } from '../../../electron/engine/storage/dayPath.ts';
import { US_PER_DAY, dayIndexToStartUs } from '../../../shared/time.ts';
import { loadDukascopyTicks } from '../../helpers/dukascopy.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import type { StoredDay } from '../../fixtures/archive/archiveDay.ts';
import {
  ARCHIVE_DAY,
  assertSameRows,
  everyKindFeedEvents,
  everyKindTicks,
  readStoredDay,
  recordDays,
} from '../../fixtures/archive/archiveDay.ts';

const CHILD = fileURLToPath(new URL('../../fixtures/archive/compactAndDie.ts', import.meta.url));
const BLOCK_ROWS = 1000;
const KILL_POINTS = ['read', 'blocks', 'progress', 'written', 'verified', 'renamed'] as const;

let template = '';
let expected: StoredDay;
let expectedTicks: Map<string, Float64Array[]>;

/** Every symbol's ticks as the engine's reader answers them, column by column. */
function readerTicks(sqliteDir: string, symbols: readonly string[]): Map<string, Float64Array[]> {
  const reader = new TickReader(sqliteDir);
  try {
    const from = dayIndexToStartUs(ARCHIVE_DAY);
    const out = new Map<string, Float64Array[]>();
    for (const s of symbols) {
      const p = reader.range(s, from, from + US_PER_DAY, 10_000_000, undefined, null, true);
      out.set(s, [p.tsUs, p.bid, p.ask, p.source, p.bidSize, p.askSize]);
    }
    return out;
  } finally {
    reader.close();
  }
}

before(async () => {
  const ticks = [
    ...everyKindTicks(ARCHIVE_DAY, 6_000),
    ...loadDukascopyTicks('eurusd-2026-07-13T12.json', 'EURUSD'),
  ];
  const rec = await recordDays('archive-crash', ticks, everyKindFeedEvents(ARCHIVE_DAY));
  template = dayFilePath(rec.sqliteDir, ARCHIVE_DAY);
  assert.equal(fs.existsSync(`${template}-wal`), false, 'the stopped store left no log beside the file');
  expected = readStoredDay(template);
  assert.ok(expected.rows.get('MIXED')!.n > 3 * BLOCK_ROWS, 'several blocks');
  expectedTicks = readerTicks(rec.sqliteDir, [...expected.rows.keys()]);
});

/** A copy of the recorded day in a data folder of its own, with a stale `.compacting` beside it. */
function copyOfDay(name: string): { sqliteDir: string; dayPath: string } {
  const sqliteDir = path.join(makeTempDir(`archive-crash-${name}`), 'sqlite');
  const dayPath = dayFilePath(sqliteDir, ARCHIVE_DAY);
  fs.mkdirSync(path.dirname(dayPath), { recursive: true });
  fs.copyFileSync(template, dayPath);
  // What an earlier crashed run could have left: a half-written file and its journal.
  fs.writeFileSync(dayPath + TMP_SUFFIX, 'SQLite format 3\0 and then nothing sensible');
  fs.writeFileSync(`${dayPath}${TMP_SUFFIX}-journal`, 'garbage');
  return { sqliteDir, dayPath };
}

function runChild(
  dayPath: string,
  dieAt: string,
): Promise<{ code: number | null; signal: string | null; out: string }> {
  const child = spawn(process.execPath, [CHILD, dayPath, String(ARCHIVE_DAY), dieAt, String(BLOCK_ROWS)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal, out }));
  });
}

function assertHoldsEverything(sqliteDir: string, dayPath: string, what: string): StoredDay {
  const now = readStoredDay(dayPath);
  assertSameRows(now.rows, expected.rows, what);
  assert.deepEqual(now.checksums, expected.checksums, `${what}: checksums`);
  const ticks = readerTicks(sqliteDir, [...expected.rows.keys()]);
  for (const [symbol, want] of expectedTicks) {
    const got = ticks.get(symbol)!;
    want.forEach((col, c) => {
      assert.equal(got[c].length, col.length, `${what}: ${symbol} ticks through the reader`);
      for (let i = 0; i < col.length; i++)
        if (!Object.is(got[c][i], col[i]))
          assert.fail(`${what}: ${symbol} tick ${i} column ${c} through the reader`);
    });
  }
  return now;
}

test('the child compacts a day to the end when told not to die', async () => {
  const { sqliteDir, dayPath } = copyOfDay('none');
  const r = await runChild(dayPath, 'none');
  assert.equal(r.code, 0);
  const { outcome, ticks } = JSON.parse(r.out) as { outcome: string; ticks: number };
  assert.equal(outcome, 'swapped');
  assert.equal(
    ticks,
    [...expected.rows.values()].reduce((a, x) => a + x.n, 0),
  );
  assert.equal(assertHoldsEverything(sqliteDir, dayPath, 'completed').archived, true);
  assert.equal(fs.existsSync(dayPath + TMP_SUFFIX), false);
});

for (const dieAt of KILL_POINTS) {
  test(`kill -9 at ${dieAt}: the day reads back whole, and a later compaction succeeds`, async () => {
    const { sqliteDir, dayPath } = copyOfDay(dieAt);
    const r = await runChild(dayPath, dieAt);
    assert.equal(r.signal, 'SIGKILL', `the child died at ${dieAt} (exit code ${r.code}, output ${r.out})`);

    // Before the rename the original is untouched; from the rename on, the day is archived.
    const crashed = assertHoldsEverything(sqliteDir, dayPath, `after kill at ${dieAt}`);
    assert.equal(crashed.archived, dieAt === 'renamed');
    assert.equal(
      fs.existsSync(dayPath + TMP_SUFFIX),
      dieAt !== 'renamed',
      'the compacting file is left beside',
    );

    const p = prepareArchive(dayPath, ARCHIVE_DAY, { blockRows: BLOCK_ROWS });
    assert.equal(swapInArchive(p), 'swapped');
    const done = assertHoldsEverything(sqliteDir, dayPath, `compacted again after kill at ${dieAt}`);
    assert.equal(done.archived, true);
    assert.equal(fs.existsSync(dayPath + TMP_SUFFIX), false);
    assert.equal(fs.existsSync(`${dayPath}${TMP_SUFFIX}-journal`), false);
  });
}
