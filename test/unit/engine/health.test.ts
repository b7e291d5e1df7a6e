import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveConfig } from '../../../electron/engine/config.ts';
import type { HealthInputs } from '../../../electron/engine/health.ts';
import { evaluateHealth } from '../../../electron/engine/health.ts';
import type { StorageStats } from '../../../shared/stats.ts';
import { storageStats } from '../../helpers/engineResults.ts';

const thresholds = resolveConfig({ dataDir: '/tmp/x' }).health;
const GiB = 1024 ** 3;

function stats(over: Partial<StorageStats> = {}): StorageStats {
  return storageStats({ disk_free_bytes: 100 * GiB, ...over });
}

function health(s: Partial<StorageStats>, i: Partial<Omit<HealthInputs, 'stats'>> = {}) {
  return evaluateHealth(thresholds, {
    stats: stats(s),
    writeErrorsLastMinute: 0,
    spillGrowing: false,
    down: [],
    ...i,
  });
}

test('healthy when nothing is wrong', () => {
  assert.deepEqual(health({}), { status: 'ok', reasons: [] });
  assert.deepEqual(health({ disk_free_bytes: null }), { status: 'ok', reasons: [] });
});

test('write errors warn, then turn critical at the threshold, quoting the last error', () => {
  const w = health({ last_write_error: 'SQLITE_BUSY: database is locked' }, { writeErrorsLastMinute: 1 });
  assert.equal(w.status, 'warn');
  assert.match(w.reasons[0], /1 write errors in the last minute.*SQLITE_BUSY/);
  const c = health({}, { writeErrorsLastMinute: thresholds.writeErrorsCritical });
  assert.equal(c.status, 'critical');
  assert.match(c.reasons[0], /10 write errors/);
});

test('queue fill warns at 80% and is critical at 95%', () => {
  assert.equal(health({ queue_size: 799 }).status, 'ok');
  const w = health({ queue_size: 800 });
  assert.equal(w.status, 'warn');
  assert.match(w.reasons[0], /queue 80% full \(800 of 1000\)/);
  const c = health({ queue_size: 950 });
  assert.equal(c.status, 'critical');
  assert.match(c.reasons[0], /queue 95% full/);
});

test('a writer without progress is reported stalled', () => {
  const c = health({ writer_idle_ms: thresholds.writerStallMs, queue_size: 10 });
  assert.equal(c.status, 'critical');
  assert.match(c.reasons[0], /writer stalled: no progress for 10 s with 10 ticks queued/);
  assert.equal(health({ writer_idle_ms: thresholds.writerStallMs - 1 }).status, 'ok');
});

test('spill pending warns; spill growing is critical', () => {
  const w = health({ spill_pending_ticks: 5000 });
  assert.equal(w.status, 'warn');
  assert.match(w.reasons[0], /5000 ticks waiting in the spill journal/);
  const c = health({ spill_pending_ticks: 5000 }, { spillGrowing: true });
  assert.equal(c.status, 'critical');
  assert.match(c.reasons[0], /and growing/);
});

test('low disk warns below 2 GiB and is critical below 256 MiB', () => {
  const w = health({ disk_free_bytes: 1 * GiB });
  assert.equal(w.status, 'warn');
  assert.match(w.reasons[0], /low disk space: 1\.00 GiB free/);
  const c = health({ disk_free_bytes: 100 * 1024 ** 2 });
  assert.equal(c.status, 'critical');
  assert.match(c.reasons[0], /disk almost full/);
});

test('a worker that is down for good is critical and listed first; warnings are kept after criticals', () => {
  const h = health(
    { queue_size: 850 },
    { down: ['writer down: the writer worker failed: exited with code 1'] },
  );
  assert.equal(h.status, 'critical');
  assert.deepEqual(h.reasons, [
    'writer down: the writer worker failed: exited with code 1',
    'queue 85% full (850 of 1000)',
  ]);
});

test('lost ticks are critical with their reasons, for the rest of the run', () => {
  const h = health({
    ticks_lost: 120,
    lost_by_reason: { queue_and_journal_full: 100, day_file_deleted: 20 },
  });
  assert.equal(h.status, 'critical');
  assert.deepEqual(h.reasons, [
    '120 accepted ticks were lost (100 queue_and_journal_full, 20 day_file_deleted)',
  ]);
});

test('incidents are listed once each, critical or warn by their severity', () => {
  const inc = (severity: 'critical' | 'warn', message: string) => ({ atUs: 1, severity, message });
  const h = health({
    incidents: [
      inc('warn', 'segment kept aside'),
      inc('critical', 'day file was damaged'),
      inc('critical', 'day file was damaged'),
    ],
  });
  assert.equal(h.status, 'critical');
  assert.deepEqual(h.reasons, ['day file was damaged', 'segment kept aside']);
  const w = health({ incidents: [inc('warn', 'segment kept aside')], spill_inherited_ticks: 7 });
  assert.deepEqual(w, {
    status: 'warn',
    reasons: ['segment kept aside', '7 ticks from an earlier run wait in the spill journal'],
  });
});
