// The window: created hardened and hidden, shown once painted, hidden to the tray while recording,
// really closed otherwise or when quitting, and brought back (or recreated) by show().
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INDEX_URL } from '../../../electron/shell/appProtocol.ts';
import { createMainWindow } from '../../../electron/shell/mainWindow.ts';
import type { WindowState } from '../../../electron/shell/windowState.ts';
import { FakeWindow } from '../../helpers/fakeElectron.ts';

function windows(
  o: { recording?: boolean; quitting?: boolean; loadFails?: boolean; devTools?: boolean } = {},
) {
  const created: FakeWindow[] = [];
  const adopted: FakeWindow[] = [];
  const logs: string[] = [];
  const flags = { recording: o.recording ?? false, quitting: o.quitting ?? false };
  const mw = createMainWindow<FakeWindow>({
    create: (options) => {
      const w = new FakeWindow(options);
      if (o.loadFails) w.loadURL = async () => Promise.reject(new Error('ERR_FILE_NOT_FOUND'));
      created.push(w);
      return w;
    },
    preload: '/x/preload.cjs',
    devTools: o.devTools ?? false,
    workAreas: () => [{ x: 0, y: 0, width: 1920, height: 1040 }],
    adopt: (w) => adopted.push(w),
    keepsRunningInTray: () => flags.recording,
    quitting: () => flags.quitting,
    log: (m) => logs.push(m),
  });
  return { mw, created, adopted, logs, flags };
}

const STATE: WindowState = { bounds: { x: 50, y: 60, width: 1200, height: 800 }, maximized: true };

test('the window is created hidden with the secure preferences, adopted, and loads only the index page', () => {
  const { mw, created, adopted } = windows();
  const w = mw.open(STATE);
  assert.equal(created.length, 1);
  assert.deepEqual(adopted, [w]);
  const o = w.options;
  assert.equal(o.show, false);
  assert.deepEqual([o.x, o.y, o.width, o.height], [50, 60, 1200, 800]);
  assert.deepEqual(
    {
      contextIsolation: o.webPreferences?.contextIsolation,
      sandbox: o.webPreferences?.sandbox,
      nodeIntegration: o.webPreferences?.nodeIntegration,
      nodeIntegrationInWorker: o.webPreferences?.nodeIntegrationInWorker,
      nodeIntegrationInSubFrames: o.webPreferences?.nodeIntegrationInSubFrames,
      webSecurity: o.webPreferences?.webSecurity,
      allowRunningInsecureContent: o.webPreferences?.allowRunningInsecureContent,
      webviewTag: o.webPreferences?.webviewTag,
      devTools: o.webPreferences?.devTools,
      preload: o.webPreferences?.preload,
    },
    {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
      preload: '/x/preload.cjs',
    },
  );
  assert.deepEqual(w.loaded, [INDEX_URL]);
  assert.equal(w.visible, false, 'not shown before it is painted');
  w.paint();
  assert.equal(w.visible, true);
  assert.equal(w.maximized, true, 'maximized as it was');
  assert.equal(mw.open(STATE), w, 'at most one window');
  assert.equal(mw.current(), w);
});

test('closing while recording hides the window to the tray; not recording or quitting, it closes', () => {
  const { mw, flags } = windows({ recording: true });
  const w = mw.open(STATE);
  w.paint();
  assert.equal(w.close(), false);
  assert.equal(w.visible, false);
  assert.equal(mw.current(), w);
  flags.quitting = true;
  assert.equal(w.close(), true);
  assert.equal(mw.current(), null);

  const idle = windows({ recording: false });
  const w2 = idle.mw.open(STATE);
  assert.equal(w2.close(), true);
  assert.equal(idle.mw.current(), null);
});

test('show() restores a minimized window, shows and focuses it', () => {
  const { mw } = windows({ recording: true });
  const w = mw.open(STATE);
  w.minimize();
  mw.show();
  assert.equal(w.minimized, false);
  assert.equal(w.visible, true);
  assert.equal(w.focusCount, 1);
});

test('show() after the window was closed creates it again where it was left', () => {
  const { mw, created } = windows();
  const w = mw.open(STATE);
  w.moveTo(300, 200);
  w.close();
  mw.show();
  assert.equal(created.length, 2);
  const again = created[1];
  assert.deepEqual([again.options.x, again.options.y, again.options.width], [300, 200, 1200]);
  assert.equal(mw.current(), again);
});

test('show() before the first window exists does nothing (startup opens it)', () => {
  const { mw, created } = windows();
  mw.show();
  assert.equal(created.length, 0);
});

test('a UI that fails to load is logged', async () => {
  const { mw, logs } = windows({ loadFails: true });
  mw.open(STATE);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(logs, ['loading the UI failed: ERR_FILE_NOT_FOUND']);
});

test('developer tools only for an unpacked developer run', () => {
  const dev = windows({ devTools: true });
  assert.equal(dev.mw.open(STATE).options.webPreferences?.devTools, true);
});
