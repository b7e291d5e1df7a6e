// Window state: read back defensively (missing, corrupt or tiny files give the default), placed
// on today's displays (a monitor that is gone does not take the window with it), and written a
// moment after the last move, or at close, through a temp file.
import assert from 'node:assert/strict';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import {
  DEFAULT_WINDOW_STATE,
  SAVE_DELAY_MS,
  loadWindowState,
  placeWindow,
  saveWindowState,
  trackWindowState,
} from '../../../electron/shell/windowState.ts';
import type { WindowState } from '../../../electron/shell/windowState.ts';
import { fakeClock } from '../../helpers/fakeClock.ts';
import { FakeWindow } from '../../helpers/fakeElectron.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const LAPTOP = { x: 0, y: 0, width: 1440, height: 875 };
const MONITOR_RIGHT = { x: 1440, y: 0, width: 2560, height: 1415 };

test('a missing, corrupt, tiny or non-numeric state file gives the default', async () => {
  const dir = makeTempDir('winstate');
  const file = path.join(dir, 'w.json');
  assert.deepEqual(await loadWindowState(file), DEFAULT_WINDOW_STATE);
  for (const text of [
    '{"bounds":{"width":1280,',
    'null',
    '{"bounds":null}',
    '{"bounds":{"width":200,"height":900}}',
    '{"bounds":{"width":"1280","height":800}}',
    '{"bounds":{"width":1e999,"height":800}}',
  ]) {
    await writeFile(file, text);
    assert.deepEqual(await loadWindowState(file), DEFAULT_WINDOW_STATE, text);
  }
});

test('a good state file is read back; a position needs both x and y', async () => {
  const dir = makeTempDir('winstate');
  const file = path.join(dir, 'w.json');
  await saveWindowState(file, { bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: true });
  assert.deepEqual(await loadWindowState(file), {
    bounds: { x: 10, y: 20, width: 1000, height: 700 },
    maximized: true,
  });
  assert.deepEqual(await readdir(dir), ['w.json'], 'the temp file was renamed into place');
  await writeFile(file, JSON.stringify({ bounds: { x: 10, width: 1000, height: 700 }, maximized: 'yes' }));
  assert.deepEqual(await loadWindowState(file), { bounds: { width: 1000, height: 700 }, maximized: false });
});

test('on the display it was saved on, the window keeps its place and size', () => {
  const state: WindowState = { bounds: { x: 1600, y: 100, width: 1600, height: 1000 }, maximized: false };
  assert.deepEqual(placeWindow(state, [LAPTOP, MONITOR_RIGHT]), state.bounds);
});

test('a monitor that is gone: no position (Electron centres it) and a size that fits the primary', () => {
  const state: WindowState = { bounds: { x: 1600, y: 100, width: 2400, height: 1300 }, maximized: false };
  assert.deepEqual(placeWindow(state, [LAPTOP]), { width: 1440, height: 875 });
});

test('a title bar above the display or barely on it does not count as reachable', () => {
  const above: WindowState = { bounds: { x: 100, y: -50, width: 1000, height: 700 }, maximized: false };
  assert.deepEqual(placeWindow(above, [LAPTOP]), { width: 1000, height: 700 });
  const sliver: WindowState = { bounds: { x: 1400, y: 100, width: 1000, height: 700 }, maximized: false };
  assert.deepEqual(placeWindow(sliver, [LAPTOP]), { width: 1000, height: 700 });
  const fine: WindowState = { bounds: { x: 1300, y: 100, width: 1000, height: 700 }, maximized: false };
  assert.deepEqual(placeWindow(fine, [LAPTOP]), { x: 1300, y: 100, width: 1000, height: 700 });
});

test('a window larger than its display is shrunk to it; a tiny display still gets the minimum size', () => {
  const big: WindowState = { bounds: { x: 0, y: 0, width: 3000, height: 2000 }, maximized: false };
  assert.deepEqual(placeWindow(big, [LAPTOP]), { x: 0, y: 0, width: 1440, height: 875 });
  const tiny = { x: 0, y: 0, width: 640, height: 480 };
  assert.deepEqual(placeWindow({ bounds: { width: 1280, height: 800 }, maximized: false }, [tiny]), {
    width: 800,
    height: 500,
  });
  assert.deepEqual(placeWindow({ bounds: {}, maximized: false }, []), { width: 1280, height: 800 });
});

test('moves are saved once, a moment after the last one; close saves at once', async () => {
  const clock = fakeClock();
  const win = new FakeWindow({ x: 0, y: 0, width: 1000, height: 700 });
  const saved: WindowState[] = [];
  trackWindowState(
    win,
    async (s) => void saved.push(s),
    clock,
    () => {},
  );
  win.moveTo(10, 10);
  await clock.advance(SAVE_DELAY_MS - 1);
  win.moveTo(20, 20);
  await clock.advance(SAVE_DELAY_MS - 1);
  assert.equal(saved.length, 0);
  await clock.advance(1);
  assert.deepEqual(saved, [{ bounds: { x: 20, y: 20, width: 1000, height: 700 }, maximized: false }]);
  win.moveTo(30, 30);
  win.maximize();
  win.close();
  assert.equal(saved.length, 2, 'close saves without waiting');
  assert.deepEqual(saved[1], { bounds: { x: 30, y: 30, width: 1000, height: 700 }, maximized: true });
  await clock.advance(SAVE_DELAY_MS * 2);
  assert.equal(saved.length, 2, 'the pending save was cancelled by close');
  assert.equal(clock.pending(), 0);
});

test('a destroyed window is not read; a failed save is logged, not thrown', async () => {
  const clock = fakeClock();
  const win = new FakeWindow({});
  const logs: string[] = [];
  let calls = 0;
  trackWindowState(
    win,
    async () => {
      calls++;
      throw new Error('EROFS: read-only file system');
    },
    clock,
    (m) => logs.push(m),
  );
  win.emit('resize');
  await clock.advance(SAVE_DELAY_MS);
  assert.equal(calls, 1);
  assert.deepEqual(logs, ['window state not saved: EROFS: read-only file system']);
  win.emit('move');
  win.destroyed = true;
  await clock.advance(SAVE_DELAY_MS);
  assert.equal(calls, 1);
});

test('saveWindowState writes whole JSON', async () => {
  const file = path.join(makeTempDir('winstate'), 'w.json');
  await saveWindowState(file, DEFAULT_WINDOW_STATE);
  assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), DEFAULT_WINDOW_STATE);
});
