// When Health warns about the sink (failing inserts, a restarting worker, a lag past 60 s), and
// how desk.ticks reads ClickHouse's TabSeparated rows (escapes, nan sizes, the page's cursor).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDeskRows } from '../../../electron/app/deskHandlers.ts';
import { SINK_LAG_WARN_SECONDS, sinkWarnings, type SinkHealth } from '../../../shared/sinkStatus.ts';

const ok: SinkHealth = {
  enabled: true,
  target: 'http://ch:8123 tickscope.ticks',
  workstation: 'ws',
  lagTicks: 12,
  lagSeconds: SINK_LAG_WARN_SECONDS,
  rowsPerSecond: 100,
  forwardedTotal: 1000,
  lastError: null,
  lastErrorAtMs: null,
  failures: 0,
  state: 'forwarding',
  table: 'tickscope.ticks',
  cluster: null,
  workerRestarts: 0,
};

test('the sink warns while failing, restarting or more than 60 s behind, not before', () => {
  assert.deepEqual(sinkWarnings(ok), []);
  assert.deepEqual(sinkWarnings({ ...ok, lagSeconds: SINK_LAG_WARN_SECONDS + 1 }), [
    'ClickHouse sink 61 s behind (12 ticks waiting)',
  ]);
  assert.deepEqual(sinkWarnings({ ...ok, state: 'failing', lastError: 'refused', failures: 3 }), [
    'ClickHouse sink failing (3x): refused',
  ]);
  assert.deepEqual(sinkWarnings({ ...ok, state: 'restarting', lastError: 'sink worker exited (code 1)' }), [
    'ClickHouse sink worker restarting: sink worker exited (code 1)',
  ]);
});

test('desk rows: escaped names, nan sizes as null, names interned, a cursor only when more follow', () => {
  const tsv =
    '100\tlp\\t1\t1.1\t1.2\tnan\t5\tws\\\\a\n' +
    '101\tlp2\t1.3\t1.4\t2\tnan\tws-b\n' +
    '102\tlp\\t1\t1.5\t1.6\t1\t1\tws-b\n';
  const page = parseDeskRows('EURUSD', tsv, 2, 40);
  assert.deepEqual(page.tsUs, [100, 101]);
  assert.deepEqual(page.sources, ['lp\t1', 'lp2']);
  assert.deepEqual(page.bidSize, [null, 2]);
  assert.deepEqual(page.askSize, [5, null]);
  assert.deepEqual(page.workstations, ['ws\\a', 'ws-b']);
  assert.equal(page.nextCursor, '42');
  const last = parseDeskRows('EURUSD', tsv, 3, 0);
  assert.equal(last.nextCursor, null);
  assert.deepEqual(last.source, [0, 1, 0]);
  assert.equal(parseDeskRows('EURUSD', '', 10, 0).tsUs.length, 0);
});
