// The desktop app's lifecycle over fake Electron objects: single instance, startup order and
// hardening, the window and the tray while recording, the flush on quit (progress, "Quit
// anyway", the deadline), a failed start. The engine is a fake here; the integration test of the
// shell runs the real service.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import type { SecretStore } from '../../../electron/app/secretFile.ts';
import type { TickscopeService } from '../../../electron/app/tickscopeService.ts';
import { APP_SCHEME, INDEX_URL } from '../../../electron/shell/appProtocol.ts';
import { runDesktopShell } from '../../../electron/shell/desktopShell.ts';
import type { ShellEnv } from '../../../electron/shell/desktopShell.ts';
import { QUIT_ANYWAY_BUTTON } from '../../../electron/shell/quitFlow.ts';
import { ELECTRON_REQUEST_PREFIX } from '../../../shared/ipc/wire.ts';
import { fakeElectron, FakeEvent } from '../../helpers/fakeElectron.ts';
import type { FakeWindow } from '../../helpers/fakeElectron.ts';
import { fakeService } from '../../helpers/fakeService.ts';
import type { FakeService } from '../../helpers/fakeService.ts';
import { flushPromises } from '../../helpers/fakeClock.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const PAGE_CSP = "default-src 'self'; script-src 'self'";

async function setup(
  o: {
    platform?: string;
    argv?: string[];
    svc?: FakeService;
    settings?: object;
    /** Mode of a feed-secrets.json written before start. */
    secretsFileMode?: number;
    over?: Partial<ShellEnv<FakeWindow>>;
  } = {},
) {
  const userData = makeTempDir('shell');
  if (o.secretsFileMode !== undefined)
    await writeFile(path.join(userData, 'feed-secrets.json'), '{}', { mode: o.secretsFileMode });
  const rendererDir = makeTempDir('shell-renderer');
  await writeFile(
    path.join(rendererDir, 'index.html'),
    `<!doctype html><meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}"><title>t</title>`,
  );
  if (o.settings) await writeFile(path.join(userData, 'settings.json'), JSON.stringify(o.settings));
  const svc = o.svc ?? fakeService({ manualClose: true });
  const fx = fakeElectron(
    { userData, rendererDir, platform: o.platform, argv: o.argv },
    { createService: svc.factory, ...o.over },
  );
  const shell = runDesktopShell(fx.env);
  return { fx, svc, shell, userData, rendererDir };
}

async function started(o: Parameters<typeof setup>[0] = {}) {
  const s = await setup(o);
  s.fx.app.ready();
  await s.shell.started;
  return s;
}

const win = (s: { fx: { app: { windows: FakeWindow[] } } }) => {
  const w = s.fx.app.windows.at(-1);
  assert.ok(w, 'no window was created');
  return w;
};

test('a second instance quits at once and starts nothing; the first one is asked to show itself', async () => {
  const s = await setup({
    over: {
      createService: async () => {
        throw new Error('must not start');
      },
    },
  });
  // Re-run with the lock taken by the first instance.
  const second = fakeElectron({ userData: s.userData, rendererDir: s.rendererDir });
  second.app.hasLock = false;
  const shell2 = runDesktopShell(second.env);
  second.app.ready();
  await shell2.started;
  assert.equal(second.app.quitRequests, 1);
  assert.equal(second.app.quitted, true);
  assert.equal(second.app.windows.length, 0);
  assert.equal(second.ipcMain.handlers.size, 0);
  assert.equal(second.app.listenerCount('before-quit'), 0);
  assert.match(second.logs.join('\n'), /another Tickscope is running/);
});

test('the first instance brings its window forward when another launch happens', async () => {
  const s = await started();
  const w = win(s);
  w.paint();
  w.minimize();
  s.fx.app.secondInstance();
  assert.equal(w.minimized, false);
  assert.equal(w.visible, true);
  assert.equal(w.focusCount, 1);
  s.fx.app.emit('activate');
  assert.equal(w.focusCount, 2);
  assert.equal(s.fx.app.windows.length, 1);
});

test('startup: app:// is privileged before ready, served after, and the session and every webContents are locked down', async () => {
  const s = await setup();
  assert.deepEqual(
    s.fx.protocol.privileged.map((p) => p.scheme),
    [APP_SCHEME],
  );
  assert.equal(s.fx.protocol.registeredAfterReady, false);
  assert.equal(s.fx.app.windows.length, 0, 'no window before ready');
  s.fx.app.ready();
  await s.shell.started;

  const expectedCsp = `${PAGE_CSP}; frame-ancestors 'none'`;
  const handler = s.fx.protocol.handlers.get(APP_SCHEME);
  assert.ok(handler, 'app:// has no handler');
  const res = await handler({ url: INDEX_URL, method: 'GET' });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-security-policy'), expectedCsp);
  assert.deepEqual(s.fx.session.respond('https://example.com/', {})?.['Content-Security-Policy'], [
    expectedCsp,
  ]);
  let granted: boolean | null = null;
  s.fx.session.permissionRequest!({}, 'media', (g) => (granted = g));
  assert.equal(granted, false);

  assert.ok(s.fx.menu.template, 'no application menu was set (the default one has developer tools)');
  const w = win(s);
  assert.deepEqual(w.loaded, [INDEX_URL]);
  assert.equal(w.options.webPreferences?.sandbox, true);
  assert.equal(w.options.webPreferences?.devTools, false, 'a packaged app has no developer tools');
  assert.ok(w.webContents.windowOpenHandler, 'the window contents were not guarded');
  const nav = new FakeEvent({ url: 'https://example.com/' });
  w.webContents.emit('will-navigate', nav);
  assert.equal(nav.defaultPrevented, true);
  assert.equal(s.svc.options?.dataDir, path.join(s.userData, 'data'));
  assert.equal(s.svc.options?.feed, 'demo');
});

test('--feed=none starts idle; a saved data folder is used', async () => {
  const s = await started({ argv: ['electron', '.', '--feed=none'], settings: { dataDir: '/srv/ticks' } });
  assert.equal(s.svc.options?.feed, 'none');
  assert.equal(s.svc.options?.dataDir, '/srv/ticks');
});

test('an unreadable index.html falls back to the built-in CSP, and says so', async () => {
  const s = await setup();
  await rm(path.join(s.rendererDir, 'index.html'));
  s.fx.app.ready();
  await s.shell.started;
  const csp = s.fx.session.respond('app://tickscope/x', {})?.['Content-Security-Policy'] as string[];
  assert.match(csp[0], /^default-src 'self'; script-src 'self'/);
  assert.match(s.fx.logs.join('\n'), /renderer CSP not read .*ENOENT.*; using the built-in policy/);
});

test('the window talks to the service through the bridge; a data folder change is remembered', async () => {
  const svc = fakeService({ manualClose: true, dataDir: '/new/place' });
  const s = await started({ svc });
  const w = win(s);
  const r = await s.fx.ipcMain.invoke(
    ELECTRON_REQUEST_PREFIX + 'storage.setDataDir',
    w.webContents.ipcEvent(INDEX_URL),
    { dataDir: '/new/place' },
  );
  assert.deepEqual(r, { ok: true, value: null });
  const file = path.join(s.userData, 'settings.json');
  await waitFor('settings.json', () => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')).dataDir === '/new/place';
    } catch {
      return false;
    }
  });
  // Another channel does not touch the settings.
  await s.fx.ipcMain.invoke(ELECTRON_REQUEST_PREFIX + 'storage.stats', w.webContents.ipcEvent(INDEX_URL), {});
  assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), { dataDir: '/new/place' });
});

test('the folder picker is the native open dialog; cancel means no folder', async () => {
  const s = await started();
  const choose = s.svc.options?.chooseFolder;
  assert.ok(choose);
  assert.equal(await choose('Pick'), null);
  s.fx.dialogs.openDialogAnswer = { canceled: false, filePaths: ['/data/ticks'] };
  assert.equal(await choose('Pick'), '/data/ticks');
  assert.deepEqual(s.fx.dialogs.openDialogs[0], {
    title: 'Pick',
    properties: ['openDirectory', 'createDirectory'],
  });
});

test('the export save dialog is the native save dialog, with the suggested name and filter; cancel means no file', async () => {
  const s = await started();
  const choose = s.svc.options?.chooseSaveFile;
  assert.ok(choose);
  const filters = [{ name: 'CSV', extensions: ['csv'] }];
  assert.equal(await choose('Export ticks', 'ticks.csv', filters), null);
  s.fx.dialogs.saveDialogAnswer = { canceled: false, filePath: '/home/me/ticks.csv' };
  assert.equal(await choose('Export ticks', 'ticks.csv', filters), '/home/me/ticks.csv');
  assert.deepEqual(s.fx.dialogs.saveDialogs[0], { title: 'Export ticks', defaultPath: 'ticks.csv', filters });
});

test('while recording: closing the window hides it, a tray icon stays, and all windows closed does not quit', async () => {
  const s = await started();
  s.svc.setRecording(true);
  const w = win(s);
  w.paint();
  assert.equal(w.close(), false);
  assert.equal(w.visible, false);
  assert.equal(s.fx.tray.live().length, 1);
  s.fx.app.emit('window-all-closed');
  assert.equal(s.fx.app.quitRequests, 0);
  s.fx.tray.live()[0].choose('Show Tickscope');
  assert.equal(w.visible, true);
  s.fx.tray.live()[0].choose('Stop recording');
  assert.equal(s.fx.tray.live().length, 0, 'the tray goes when recording stops');
});

test('not recording: all windows closed quits, except on macOS', async () => {
  const linux = await started();
  linux.fx.app.emit('window-all-closed');
  assert.equal(linux.fx.app.quitRequests, 1);
  const mac = await started({ platform: 'darwin' });
  mac.fx.app.emit('window-all-closed');
  assert.equal(mac.fx.app.quitRequests, 0);
});

test('quit waits for the flush: progress after 1 s, and the quit completes when the flush does', async () => {
  const s = await started();
  s.svc.setRecording(true);
  s.fx.tray.live()[0].choose('Quit (flush to disk)');
  assert.equal(s.fx.app.quitted, false, 'the first quit is held');
  await flushPromises();
  assert.equal(s.svc.closeCalls, 1);
  await s.fx.clock.advance(999);
  assert.equal(s.fx.dialogs.messageBoxes.length, 0);
  await s.fx.clock.advance(1);
  assert.equal(s.fx.dialogs.messageBoxes.length, 1);
  const box = s.fx.dialogs.messageBoxes[0];
  assert.equal(box.parent, null, 'a parentless box on Linux, visible with the window hidden');
  assert.match(String(box.options.message), /Saving recorded ticks/);
  assert.equal(s.fx.ipcMain.handlers.size, 0, 'no IPC is served once the flush has started');
  s.fx.app.quit(); // the user presses Cmd+Q again: still one flush
  assert.equal(s.svc.closeCalls, 1);
  s.svc.finishClose();
  await s.fx.clock.advance(0);
  await waitFor('the quit', () => s.fx.app.quitted);
  assert.equal(box.aborted, true, 'the progress dialog is closed by the app');
  assert.equal(s.fx.app.liveWindows().length, 0, 'the window closed for real during the quit');
  assert.equal(s.fx.tray.live().length, 0);
});

test('"Quit anyway" quits while the flush is still running', async () => {
  const s = await started();
  s.fx.app.quit();
  await s.fx.clock.advance(1000);
  s.fx.dialogs.messageBoxes[0].press(QUIT_ANYWAY_BUTTON);
  await s.fx.clock.advance(0);
  await waitFor('the quit', () => s.fx.app.quitted);
  assert.equal((await s.shell.quit.done())?.kind, 'quit_anyway');
});

test('a flush that never ends cannot hang the app: it quits at the 15 s deadline', async () => {
  const s = await started();
  s.fx.app.quit();
  await s.fx.clock.advance(14_999);
  assert.equal(s.fx.app.quitted, false);
  await s.fx.clock.advance(1);
  await waitFor('the quit', () => s.fx.app.quitted);
  assert.equal((await s.shell.quit.done())?.kind, 'deadline');
});

test('on macOS the progress is a sheet on the window, shown first; with no window, no dialog', async () => {
  const s = await started({ platform: 'darwin' });
  const w = win(s);
  assert.equal(w.visible, false);
  s.fx.app.quit();
  await s.fx.clock.advance(1000);
  assert.equal(s.fx.dialogs.messageBoxes[0].parent, w);
  assert.equal(w.visible, true);
  s.svc.finishClose();
  await waitFor('the quit', () => s.fx.app.quitted);

  const bare = await started({ platform: 'darwin' });
  win(bare).close();
  bare.fx.app.quit();
  await bare.fx.clock.advance(1000);
  assert.equal(bare.fx.dialogs.messageBoxes.length, 0, 'a parentless box would block main on macOS');
  await bare.fx.clock.advance(14_000);
  await waitFor('the quit', () => bare.fx.app.quitted);
});

test('a quit before ready has nothing to flush and quits at once', async () => {
  const s = await setup();
  s.fx.app.quit();
  await waitFor('the quit', () => s.fx.app.quitted);
  assert.equal(s.svc.closeCalls, 0);
});

test('a quit while the store is still opening waits for it, closes it, and opens no window', async () => {
  let open!: (s: TickscopeService) => void;
  const svc = fakeService();
  const s = await setup({ svc, over: { createService: () => new Promise((r) => (open = r)) } });
  s.fx.app.ready();
  await waitFor('the service to be requested', () => open !== undefined);
  s.fx.app.quit();
  await s.fx.clock.advance(100);
  assert.equal(s.fx.app.quitted, false);
  open(svc.service);
  await s.shell.started;
  await waitFor('the quit', () => s.fx.app.quitted);
  assert.equal(svc.closeCalls, 1);
  assert.equal(s.fx.app.windows.length, 0);
});

test('health turning critical shows one desktop notification', async () => {
  const s = await started();
  s.svc.broadcast('storage.health', { status: 'critical', reasons: ['disk full'] });
  s.svc.broadcast('storage.health', { status: 'critical', reasons: ['disk full'] });
  assert.deepEqual(
    s.fx.notifier.shown.map((n) => n.body),
    ['disk full'],
  );
});

test('a start that fails shows the error and exits 1', async () => {
  const s = await setup({
    over: {
      createService: async () => {
        throw new Error('the data folder /x is not writable');
      },
    },
  });
  s.fx.app.ready();
  await s.shell.started;
  await waitFor('the exit', () => s.fx.app.exitCode !== null);
  assert.equal(s.fx.app.exitCode, 1);
  assert.deepEqual(s.fx.dialogs.errorBoxes, [
    { title: 'Tickscope could not start', content: 'the data folder /x is not writable' },
  ]);
  assert.match(s.fx.logs.join('\n'), /fatal: Error: the data folder \/x is not writable/);
});

test('a start that fails after the store opened flushes the store before exiting', async () => {
  const svc = fakeService();
  const s = await setup({ svc });
  // A handler already registered makes the bridge fail, after the service was created.
  s.fx.ipcMain.handle(ELECTRON_REQUEST_PREFIX + 'storage.stats', async () => null);
  s.fx.app.ready();
  await s.shell.started;
  await waitFor('the exit', () => s.fx.app.exitCode !== null);
  assert.equal(svc.closeCalls, 1);
  assert.match(s.fx.dialogs.errorBoxes[0].content, /second handler/);
});

test('a failing store close at a failed start cannot keep the app from exiting', async () => {
  const svc = fakeService({ manualClose: true });
  const s = await setup({ svc });
  s.fx.ipcMain.handle(ELECTRON_REQUEST_PREFIX + 'storage.stats', async () => null);
  s.fx.app.ready();
  await waitFor('close to be called', () => svc.closeCalls === 1);
  svc.finishClose(new Error('EIO'));
  await waitFor('the exit', () => s.fx.app.exitCode !== null);

  const hung = fakeService({ manualClose: true });
  const h = await setup({ svc: hung });
  h.fx.ipcMain.handle(ELECTRON_REQUEST_PREFIX + 'storage.stats', async () => null);
  h.fx.app.ready();
  await waitFor('close to be called', () => hung.closeCalls === 1);
  await h.fx.clock.advance(14_999);
  assert.equal(h.fx.app.exitCode, null);
  await h.fx.clock.advance(1);
  await waitFor('the exit', () => h.fx.app.exitCode !== null);
});

test('after the system resumes from sleep every feed checks its connection at once', async () => {
  const { fx, svc, shell } = await setup({ svc: fakeService() });
  fx.app.ready();
  await shell.started;
  assert.equal(svc.connectionChecks, 0);
  fx.powerMonitor.emit('resume');
  assert.equal(svc.connectionChecks, 1);
  assert.ok(fx.logs.some((l) => l.includes('resumed from sleep')));
});

test('feeds are kept in userData/feeds.json and their secrets sealed by safeStorage', async () => {
  const { fx, svc, shell, userData } = await setup({ svc: fakeService() });
  fx.app.ready();
  await shell.started;
  const o = svc.options!;
  assert.equal(o.feedConfigs?.file, path.join(userData, 'feeds.json'));
  assert.deepEqual(
    (await o.feedConfigs!.load()).map((f) => f.id),
    ['demo'],
    'a first start records the demo feed',
  );
  const secrets = o.secrets as SecretStore;
  await secrets.set('yofx', 'password', 'hunter2');
  const text = await readFile(path.join(userData, 'feed-secrets.json'), 'utf8');
  assert.ok(!text.includes('hunter2'));
  assert.equal(secrets.get('yofx', 'password'), 'hunter2');
});

test('a secrets file others can read does not stop the app: secrets last until quit, and the log says why', async () => {
  const { fx, svc, shell, userData } = await setup({ svc: fakeService(), secretsFileMode: 0o644 });
  fx.app.ready();
  await shell.started;
  assert.ok(shell.service(), 'started');
  assert.ok(
    fx.logs.some((l) => /feed secrets not read \(.*mode 644.*\); secrets set now last until quit/.test(l)),
  );
  await (svc.options!.secrets as SecretStore).set('yofx', 'password', 'x');
  assert.equal(
    await readFile(path.join(userData, 'feed-secrets.json'), 'utf8'),
    '{}',
    'the file was left alone',
  );
});
