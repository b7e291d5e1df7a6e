// How a stopped recorder's StopResult and stats turn into what it prints and its exit code. The
// engine cannot be made to lose ticks on purpose, so the mapping is tested here on its own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StorageStats } from '../../../shared/stats.ts';
import { stillWaitingFor, stopOutcome, stopSummary } from '../../../electron/cli/stopReport.ts';
import { CLEAN_STOP, storageStats } from '../../helpers/engineResults.ts';

const CLEAN = CLEAN_STOP;

function stats(over: Partial<StorageStats> = {}): StorageStats {
  const base = { ticks_received: 1000, ticks_stored: 1000, ticks_written: 990, ticks_duplicate: 10 };
  return storageStats({ ...base, data_dir: '/data', ...over });
}

test('a clean stop exits 0 and says nothing on stderr', () => {
  const o = stopOutcome(CLEAN, stats());
  assert.equal(o.exitCode, 0);
  assert.deepEqual(o.problems, []);
  assert.equal(
    stopSummary(stats(), o),
    '1000 ticks accepted, 1000 stored in the day files, 0 pending in the spill journal, 0 lost',
  );
});

test('lost ticks exit 1 with their count by reason, largest first', () => {
  const o = stopOutcome(
    { ...CLEAN, clean: false, lost: 12, lostByReason: { worker_died: 2, queue_full_journal_failed: 10 } },
    stats({ ticks_lost: 12, lost_by_reason: { worker_died: 2, queue_full_journal_failed: 10 } }),
  );
  assert.equal(o.exitCode, 1);
  assert.equal(o.lost, 12);
  assert.deepEqual(o.problems, [
    '12 ticks were lost (queue_full_journal_failed: 10, worker_died: 2): they are in no day file and no journal.',
  ]);
});

test('ticks_lost in the stats count even when the StopResult says clean', () => {
  const o = stopOutcome(CLEAN, stats({ ticks_lost: 1, lost_by_reason: { day_file_vanished: 1 } }));
  assert.equal(o.exitCode, 1);
  assert.equal(o.lost, 1);
  assert.match(o.problems[0], /^1 tick was lost \(day_file_vanished: 1\)/);
});

test('ticks left in the spill journal exit 1 and say where they are and when they are written', () => {
  const result = {
    ...CLEAN,
    clean: false,
    pendingInJournal: 340,
    problems: ['340 ticks wait in the spill journal'],
  };
  const o = stopOutcome(result, stats({ spill_pending_ticks: 340 }));
  assert.equal(o.exitCode, 1);
  assert.equal(o.pendingInJournal, 340);
  assert.deepEqual(o.problems, [
    '340 ticks wait in the spill journal (/data/spill): they are written to the day files at the next start on this data folder.',
  ]);
  assert.match(stopSummary(stats(), o), /340 pending in the spill journal, 0 lost$/);
});

test("a stop that ran out of time says so, with the engine's own problems", () => {
  const o = stopOutcome(
    {
      ...CLEAN,
      clean: false,
      timedOut: true,
      lost: 3,
      lostByReason: { stop_deadline: 3 },
      problems: ['the writer did not answer'],
    },
    stats(),
  );
  assert.equal(o.exitCode, 1);
  assert.equal(o.problems.length, 3);
  assert.match(o.problems[1], /stop deadline ran out/);
  assert.equal(o.problems[2], 'the writer did not answer.');
});

test('clean: false with nothing else to say still exits 1, and says that it is unexplained', () => {
  const o = stopOutcome({ ...CLEAN, clean: false }, stats());
  assert.equal(o.exitCode, 1);
  assert.match(o.problems[0], /not every accepted tick is durable/);
});

test('the JSON backend counts what is in the JSON files', () => {
  const s = stats({ backend: 'json', ticks_written: 0, ticks_duplicate: 0, json_ticks_written: 1000 });
  assert.match(stopSummary(s, stopOutcome(CLEAN, s)), /1000 stored in the JSON files/);
});

test('a repeated signal is told what the stop still waits for', () => {
  assert.equal(
    stillWaitingFor(stats({ queue_size: 1200, spill_inflight_ticks: 1 })),
    '1200 accepted ticks to reach the day files and 1 tick to reach the spill journal',
  );
  assert.equal(stillWaitingFor(stats()), 'the workers to commit and close the day files');
});
