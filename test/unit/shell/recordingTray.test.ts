// The tray icon exists exactly while recording, says what is recorded, and its menu works.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RecordingStatus } from '../../../shared/catalog.ts';
import { createRecordingTray, trayToolTip } from '../../../electron/shell/recordingTray.ts';
import { FakeTrayFactory } from '../../helpers/fakeElectron.ts';

const on = (symbols: string[]): RecordingStatus => ({
  recording: true,
  feed: 'demo',
  feeds: ['demo'],
  symbols,
  ratePerSec: 10,
  startedAtUs: 1,
});
const OFF: RecordingStatus = {
  recording: false,
  feed: null,
  feeds: [],
  symbols: [],
  ratePerSec: 0,
  startedAtUs: null,
};

test('a tray appears when recording starts, is updated in place and goes when it stops', () => {
  const f = new FakeTrayFactory();
  const did: string[] = [];
  const tray = createRecordingTray(f, {
    show: () => did.push('show'),
    stopRecording: () => did.push('stop'),
    quit: () => did.push('quit'),
  });
  tray.update(OFF);
  assert.equal(f.trays.length, 0);
  tray.update(on(['EURUSD']));
  tray.update(on(['EURUSD', 'BTCUSD']));
  assert.equal(f.trays.length, 1, 'one icon, updated');
  const t = f.trays[0];
  assert.equal(t.toolTip, 'Tickscope: recording demo (2 symbols)');
  t.clickListeners.forEach((l) => l());
  t.choose('Show Tickscope');
  t.choose('Stop recording');
  t.choose('Quit (flush to disk)');
  assert.deepEqual(did, ['show', 'show', 'stop', 'quit']);
  tray.update(OFF);
  assert.equal(t.destroyed, true);
  tray.update(on(['EURUSD']));
  assert.equal(f.live().length, 1);
  tray.destroy();
  assert.equal(f.live().length, 0);
});

test('the tooltip counts symbols in words', () => {
  assert.equal(trayToolTip(on(['EURUSD'])), 'Tickscope: recording demo (1 symbol)');
  assert.equal(trayToolTip({ ...on([]), feed: null }), 'Tickscope: recording (0 symbols)');
});
