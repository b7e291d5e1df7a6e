// The desktop app's behaviour, Electron-free: single instance, startup, the window, the tray, the
// health notice and the flush on quit. electron/main/main.ts hands in the real Electron objects
// (each reduced to the few calls used here); tests hand in fakes.
import path from 'node:path';
import type {
  BrowserWindowConstructorOptions,
  CustomScheme,
  MenuItemConstructorOptions,
  MessageBoxOptions,
  OpenDialogOptions,
  Rectangle,
  SaveDialogOptions,
} from 'electron';
import type { RecordingStatus } from '../../shared/catalog.ts';
import type { Health } from '../../shared/stats.ts';
import { FALLBACK_CSP, readRendererCsp } from '../app/rendererCsp.ts';
import { createTickscopeService } from '../app/tickscopeService.ts';
import { startMonitoring } from '../app/monitoring.ts';
import type { Monitoring } from '../app/monitoring.ts';
import { withDeadline } from '../engine/lifecycle/withDeadline.ts';
import type { TickscopeService, TickscopeServiceOptions } from '../app/tickscopeService.ts';
import { DEMO_FEED_SCHEMA } from '../../shared/feeds/feedConfig.ts';
import { feedConfigFile } from '../app/feedConfigFile.ts';
import { memorySecretStore, openSecretFile } from '../app/secretFile.ts';
import type { SecretStore } from '../app/secretFile.ts';
import { appMenuTemplate } from './appMenu.ts';
import { safeStorageCodec } from './safeStorageCodec.ts';
import type { ShellSafeStorage } from './safeStorageCodec.ts';
import { loadAppSettings, saveAppSettings } from './appSettings.ts';
import { APP_CUSTOM_SCHEME, APP_SCHEME, createAppProtocolHandler } from './appProtocol.ts';
import type { AppProtocolHandler } from './appProtocol.ts';
import { guardWebContents } from './contentsGuard.ts';
import type { GuardedContents, Preventable } from './contentsGuard.ts';
import { createFileLog } from './fileLog.ts';
import type { FileLog } from './fileLog.ts';
import { createHealthNotifier } from './healthNotifier.ts';
import type { DesktopNotifier } from './healthNotifier.ts';
import { registerIpc } from './ipcBridge.ts';
import type { IpcBridge, IpcRegistry } from './ipcBridge.ts';
import { createMainWindow } from './mainWindow.ts';
import type { MainWindow, ShellWindow } from './mainWindow.ts';
import { createQuitController } from './quitController.ts';
import type { QuitController } from './quitController.ts';
import { DEFAULT_QUIT_TIMINGS, dialogTarget } from './quitFlow.ts';
import type { QuitTimings } from './quitFlow.ts';
import { createRecordingTray } from './recordingTray.ts';
import type { RecordingTray, TrayFactory } from './recordingTray.ts';
import { guardSession } from './sessionGuard.ts';
import type { GuardedSession } from './sessionGuard.ts';
import { loadWindowState, saveWindowState, trackWindowState } from './windowState.ts';

/** The parts of Electron's app the shell uses. */
export interface ShellApp {
  /** False when run from the repository (`npm start`): developer tools are available then. */
  readonly isPackaged: boolean;
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<unknown>;
  getPath(name: 'userData' | 'logs'): string;
  quit(): void;
  exit(code?: number): void;
  on(event: 'second-instance' | 'activate' | 'window-all-closed', listener: () => void): unknown;
  on(event: 'before-quit', listener: (event: Preventable) => void): unknown;
  on(event: 'web-contents-created', listener: (event: unknown, contents: GuardedContents) => void): unknown;
}

export interface ShellDialogs<W> {
  /** dialog.showMessageBox, with a parent window (a sheet on macOS) or without. */
  showMessageBox(parent: W | null, options: MessageBoxOptions): Promise<{ response: number }>;
  showErrorBox(title: string, content: string): void;
  showOpenDialog(options: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string }>;
}

export interface ShellTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export interface ShellEnv<W extends ShellWindow> {
  app: ShellApp;
  platform: string;
  argv: readonly string[];
  /** dist/renderer (served as app://tickscope/) and the bundled preload. */
  files: { rendererDir: string; preload: string };
  protocol: {
    registerSchemesAsPrivileged(schemes: CustomScheme[]): void;
    handle(scheme: string, handler: AppProtocolHandler): void;
  };
  session: GuardedSession;
  ipcMain: IpcRegistry;
  /** new BrowserWindow(options) */
  createWindow(options: BrowserWindowConstructorOptions): W;
  /** Work areas of today's displays, primary first; read after ready. */
  workAreas(): Rectangle[];
  dialogs: ShellDialogs<W>;
  tray: TrayFactory;
  /** Menu.setApplicationMenu(Menu.buildFromTemplate(template)) */
  setApplicationMenu(template: MenuItemConstructorOptions[]): void;
  notifier: DesktopNotifier;
  /** Electron's powerMonitor: after sleep every feed checks its connection at once. */
  powerMonitor: { on(event: 'resume' | 'unlock-screen', listener: () => void): unknown };
  /** Seals feed secrets (FIX passwords) at rest. */
  safeStorage: ShellSafeStorage;
  createService?: (options: TickscopeServiceOptions) => Promise<TickscopeService>;
  log?: FileLog;
  timers?: ShellTimers;
  quitTimings?: Partial<QuitTimings>;
  /** TICKSCOPE_METRICS_PORT, TICKSCOPE_HEALTH_WEBHOOK (electron/app/monitoring.ts); default process.env. */
  environment?: Readonly<Record<string, string | undefined>>;
}

export interface DesktopShell<W extends ShellWindow> {
  /** Settles when startup has finished, failed (see the log) or was not attempted. */
  started: Promise<void>;
  service(): TickscopeService | null;
  window: MainWindow<W>;
  quit: QuitController;
}

const systemTimers: ShellTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

export function runDesktopShell<W extends ShellWindow>(env: ShellEnv<W>): DesktopShell<W> {
  const { app } = env;
  const log = env.log ?? createFileLog(path.join(app.getPath('logs'), 'tickscope.log'));
  const timers = env.timers ?? systemTimers;
  const userData = app.getPath('userData');
  const settingsFile = path.join(userData, 'settings.json');
  const stateFile = path.join(userData, 'window-state.json');

  let service: TickscopeService | null = null;
  let ipc: IpcBridge | null = null;
  let tray: RecordingTray | null = null;
  let monitoring: Monitoring | null = null;
  let ready = false;
  const recording = () => service?.recording.status().recording ?? false;

  // Only possible before `ready`: app:// must be standard and secure from the first page load.
  env.protocol.registerSchemesAsPrivileged([APP_CUSTOM_SCHEME]);

  const quit = createQuitController({
    close: async () => {
      // A quit during startup waits for it: the store it opens must be closed too.
      if (ready) await started;
      ipc?.dispose();
      tray?.destroy();
      await monitoring?.close();
      return service ? service.close() : null;
    },
    quit: () => app.quit(),
    drainLog: () => log.drain(),
    showMessageBox: (options) => {
      const target = dialogTarget(env.platform, window.current());
      if (!target) return null;
      // A sheet on a hidden window would be invisible (macOS only gets here with a parent).
      if (target.parent && !target.parent.isVisible()) target.parent.show();
      return env.dialogs.showMessageBox(target.parent, options);
    },
    ...timers,
    log,
    timings: env.quitTimings,
  });

  const window = createMainWindow<W>({
    create: env.createWindow,
    preload: env.files.preload,
    devTools: !app.isPackaged,
    workAreas: env.workAreas,
    adopt(win) {
      trackWindowState(win, (state) => saveWindowState(stateFile, state), timers, log);
      ipc?.attachWindow(win);
    },
    keepsRunningInTray: recording,
    quitting: quit.quitting,
    log,
  });

  if (!app.requestSingleInstanceLock()) {
    // Another Tickscope owns the data folder; Electron tells it (second-instance) to show itself.
    log('another Tickscope is running: it shows its window, this one quits');
    app.quit();
    return { started: Promise.resolve(), service: () => null, window, quit };
  }
  app.on('second-instance', () => window.show());
  app.on('activate', () => window.show());
  app.on('window-all-closed', () => {
    // Recording keeps the app alive in the tray; otherwise a closed window means quit (not on macOS).
    if (recording()) return;
    if (env.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', (event) => quit.beforeQuit(event));
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, log));

  async function start(): Promise<void> {
    ready = true;
    const [settings, windowState, csp] = await Promise.all([
      loadAppSettings(settingsFile),
      loadWindowState(stateFile),
      readRendererCsp(path.join(env.files.rendererDir, 'index.html')).catch((err: unknown) => {
        log(`renderer CSP not read (${(err as Error).message}); using the built-in policy`);
        return { csp: FALLBACK_CSP, fromMeta: false };
      }),
    ]);
    guardSession(env.session, csp.csp, log);
    env.setApplicationMenu(
      appMenuTemplate(env.platform, { show: () => window.show(), quit: () => app.quit() }),
    );
    env.protocol.handle(APP_SCHEME, createAppProtocolHandler({ root: env.files.rendererDir, csp: csp.csp }));

    const dataDir = settings.dataDir ?? path.join(userData, 'data');
    log(`starting; data folder ${dataDir}`);
    const secrets = await openSecretFile(
      path.join(userData, 'feed-secrets.json'),
      safeStorageCodec(env.safeStorage, env.platform),
    ).catch((err: unknown): SecretStore => {
      // A damaged secrets file must not keep the recorder from starting: feeds needing one say so.
      log(`feed secrets not read (${(err as Error).message}); secrets set now last until quit`);
      return memorySecretStore();
    });
    const s = await (env.createService ?? createTickscopeService)({
      dataDir,
      feedConfigs: feedConfigFile(path.join(userData, 'feeds.json'), () => [
        DEMO_FEED_SCHEMA.parse({ id: 'demo', kind: 'demo' }),
      ]),
      secrets,
      feed: env.argv.includes('--feed=none') ? 'none' : 'demo',
      chooseFolder: async (title) => {
        const r = await env.dialogs.showOpenDialog({
          title,
          properties: ['openDirectory', 'createDirectory'],
        });
        return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
      },
      chooseSaveFile: async (title, defaultName, filters) => {
        const r = await env.dialogs.showSaveDialog({ title, defaultPath: defaultName, filters });
        return r.canceled || !r.filePath ? null : r.filePath;
      },
      log,
    });
    service = s;
    monitoring = await startMonitoring({
      environment: env.environment ?? process.env,
      service: s,
      dataDir: s.store().config.dataDir,
      log,
    });

    const notifyHealth = createHealthNotifier(env.notifier, log);
    tray = createRecordingTray(env.tray, {
      show: () => window.show(),
      stopRecording: () =>
        void s.recording.stop().catch((err: unknown) => log(`stop recording: ${(err as Error).message}`)),
      quit: () => app.quit(),
    });
    tray.update(s.recording.status());
    // Sockets that slept with the machine look alive until a ping times out: check them now.
    env.powerMonitor.on('resume', () => {
      log('resumed from sleep: checking feed connections');
      s.feeds.checkConnections();
    });
    // An internal client of the service: it watches health and recording like a window would.
    s.connect({
      send(event, payload) {
        if (event === 'storage.health') notifyHealth(payload as Health);
        if (event === 'recording.status') tray?.update(payload as RecordingStatus);
      },
    });
    ipc = registerIpc(env.ipcMain, s, log, (channel, result) => {
      if ((channel === 'storage.setDataDir' || channel === 'storage.chooseDataDir') && result.ok) {
        saveAppSettings(settingsFile, { dataDir: s.store().config.dataDir }).catch((err: unknown) =>
          log(`settings not saved: ${(err as Error).message}`),
        );
      }
    });
    if (!quit.quitting()) window.open(windowState);
  }

  async function fatal(err: unknown): Promise<void> {
    log(`fatal: ${(err as Error)?.stack ?? String(err)}`);
    env.dialogs.showErrorBox('Tickscope could not start', (err as Error)?.message ?? String(err));
    // If the store opened before the failure, what it accepted is flushed before the exit;
    // app.exit skips before-quit, so nothing else would. Bounded like the quit.
    if (service) {
      const deadline = env.quitTimings?.deadlineMs ?? DEFAULT_QUIT_TIMINGS.deadlineMs;
      await withDeadline(
        service.close().catch(() => undefined),
        deadline,
        undefined,
        timers,
      );
    }
    await withDeadline(
      log.drain().catch(() => undefined),
      1000,
      undefined,
      timers,
    );
    app.exit(1);
  }

  const started = app.whenReady().then(start).catch(fatal);
  return { started, service: () => service, window, quit };
}
