// The Electron shell: one hardened window over the shared service. Everything it does on disk is
// asynchronous; the engine does its SQLite work in worker threads.
import { BrowserWindow, app, dialog, protocol } from 'electron';
import type { MessageBoxOptions } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Health } from '../../shared/stats.ts';
import type { RecordingStatus } from '../../shared/catalog.ts';
import { FALLBACK_CSP, readRendererCsp } from '../app/rendererCsp.ts';
import { createTickscopeService } from '../app/tickscopeService.ts';
import type { TickscopeService } from '../app/tickscopeService.ts';
import { APP_CUSTOM_SCHEME, APP_SCHEME, INDEX_URL, createAppProtocolHandler } from './appProtocol.ts';
import { loadAppSettings, saveAppSettings } from './appSettings.ts';
import { createFileLog } from './fileLog.ts';
import { hardenSessionsAndContents, secureWebPreferences } from './hardening.ts';
import { createHealthNotifier } from './healthNotifier.ts';
import { registerIpc } from './ipcBridge.ts';
import type { IpcBridge } from './ipcBridge.ts';
import { dialogTarget, runQuitFlow } from './quitFlow.ts';
import { createRecordingTray } from './trayIcon.ts';
import type { RecordingTray } from './trayIcon.ts';
import { loadWindowState, trackWindowState } from './windowState.ts';

// In dist/electron/ next to main.js; the renderer is built to dist/renderer/, which the window
// reads through app://tickscope/ (appProtocol.ts), never through file://.
const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '../renderer');
const indexHtml = path.join(rendererDir, 'index.html');
const preloadPath = path.join(here, 'preload.cjs');
const trayIconPath = path.join(here, process.platform === 'win32' ? 'tray-32.png' : 'tray-16.png');

let mainWindow: BrowserWindow | null = null;
let service: TickscopeService | null = null;
let ipc: IpcBridge | null = null;
let tray: RecordingTray | null = null;
let quitting = false;
let flushed = false;

const log = createFileLog(path.join(app.getPath('logs'), 'tickscope.log'));

// Only possible before `ready`: app:// must be standard and secure from the first page load.
protocol.registerSchemesAsPrivileged([APP_CUSTOM_SCHEME]);

if (!app.requestSingleInstanceLock()) {
  // Another Tickscope owns the data folder; it shows its window (second-instance below).
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => fatal(err));
}

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  const settingsFile = path.join(userData, 'settings.json');
  const [settings, windowState, cspInfo] = await Promise.all([
    loadAppSettings(settingsFile),
    loadWindowState(path.join(userData, 'window-state.json')),
    readRendererCsp(indexHtml).catch(() => ({ csp: FALLBACK_CSP, fromMeta: false })),
  ]);
  hardenSessionsAndContents(cspInfo.csp, log);
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ root: rendererDir, csp: cspInfo.csp }));

  const dataDir = settings.dataDir ?? path.join(userData, 'data');
  log(`starting; data folder ${dataDir}`);
  service = await createTickscopeService({
    dataDir,
    feed: process.argv.includes('--feed=none') ? 'none' : 'demo',
    chooseFolder: async (title) => {
      const r = await dialog.showOpenDialog({
        title,
        properties: ['openDirectory', 'createDirectory'],
      });
      return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
    },
    log,
  });

  const notifyHealth = createHealthNotifier(log);
  tray = createRecordingTray(trayIconPath, {
    show: showWindow,
    stopRecording: () => service?.recording.stop(),
    quit: () => app.quit(),
  });
  tray.update(service.recording.status());
  // An internal client of the service: it watches health and recording like a window would.
  service.connect({
    send(event, payload) {
      if (event === 'storage.health') notifyHealth(payload as Health);
      if (event === 'recording.status') tray?.update(payload as RecordingStatus);
    },
  });

  ipc = registerIpc(service, log, (channel, result) => {
    if ((channel === 'storage.setDataDir' || channel === 'storage.chooseDataDir') && result.ok) {
      const dir = service?.store().config.dataDir ?? null;
      saveAppSettings(settingsFile, { dataDir: dir }).catch((err: unknown) =>
        log(`settings not saved: ${(err as Error).message}`),
      );
    }
  });

  mainWindow = createWindow(windowState.bounds, windowState.maximized, userData);
}

function createWindow(
  bounds: Partial<Electron.Rectangle>,
  maximized: boolean,
  userData: string,
): BrowserWindow {
  const win = new BrowserWindow({
    ...bounds,
    minWidth: 800,
    minHeight: 500,
    show: false,
    title: 'Tickscope',
    backgroundColor: '#0f1115',
    webPreferences: secureWebPreferences(preloadPath),
  });
  trackWindowState(win, path.join(userData, 'window-state.json'), log);
  ipc?.attachWindow(win);
  win.once('ready-to-show', () => {
    if (maximized) win.maximize();
    win.show();
  });
  win.on('close', (e) => {
    // Closing the window keeps recording in the tray; Quit from the tray or menu stops it.
    if (!quitting && service?.recording.status().recording) {
      e.preventDefault();
      win.hide();
    }
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  win.loadURL(INDEX_URL).catch((err: unknown) => log(`loading the UI failed: ${(err as Error).message}`));
  return win;
}

function showWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) {
    const userData = app.getPath('userData');
    mainWindow = createWindow({ width: 1280, height: 800 }, false, userData);
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

app.on('window-all-closed', () => {
  // Recording keeps the app alive in the tray; otherwise a closed window means quit (not on macOS).
  if (service?.recording.status().recording) return;
  if (process.platform !== 'darwin') app.quit();
});

app.on('activate', () => showWindow());

app.on('before-quit', (e) => {
  quitting = true;
  if (flushed || !service) return;
  e.preventDefault();
  void quitAfterFlush();
});

let quitStarted = false;
async function quitAfterFlush(): Promise<void> {
  if (quitStarted) return;
  quitStarted = true;
  const s = service;
  await runQuitFlow({
    close: async () => {
      ipc?.dispose();
      tray?.destroy();
      if (!s) throw new Error('the service never started');
      return s.close();
    },
    showMessageBox: showQuitDialog,
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    now: () => Date.now(),
    log,
  });
  // The log is worth a moment, not a hang.
  await Promise.race([log.drain(), new Promise((resolve) => setTimeout(resolve, 1000))]);
  flushed = true;
  app.quit();
}

function showQuitDialog(options: MessageBoxOptions): Promise<{ response: number }> | null {
  const target = dialogTarget(process.platform, mainWindow);
  if (!target) return null;
  if (!target.parent) return dialog.showMessageBox(options);
  // A sheet on a hidden window would be invisible (macOS only gets here with a parent).
  if (!target.parent.isVisible()) target.parent.show();
  return dialog.showMessageBox(target.parent, options);
}

function fatal(err: unknown): void {
  const message = (err as Error)?.stack ?? String(err);
  log(`fatal: ${message}`);
  dialog.showErrorBox('Tickscope could not start', (err as Error)?.message ?? String(err));
  void log.drain().finally(() => app.exit(1));
}
