// Fakes of the few Electron objects the desktop shell touches, each behaving as Electron's does
// where the shell depends on it: preventable events, ipcMain refusing a second handler,
// app.quit() emitting before-quit and closing windows, a window emitting close then closed.
// They implement the shell's own interfaces, so a change there fails to typecheck here.
import type {
  BrowserWindowConstructorOptions,
  CustomScheme,
  HandlerDetails,
  HeadersReceivedResponse,
  Menu,
  MenuItemConstructorOptions,
  MessageBoxOptions,
  OnHeadersReceivedListenerDetails,
  OpenDialogOptions,
  SaveDialogOptions,
  Rectangle,
  WindowOpenHandlerResponse,
} from 'electron';
import type { SenderInfo } from '../../electron/shell/appOrigin.ts';
import type { AppProtocolHandler } from '../../electron/shell/appProtocol.ts';
import type { GuardedContents, Preventable } from '../../electron/shell/contentsGuard.ts';
import type { ShellApp, ShellDialogs, ShellEnv } from '../../electron/shell/desktopShell.ts';
import type { DesktopNotifier } from '../../electron/shell/healthNotifier.ts';
import type { IpcRegistry } from '../../electron/shell/ipcBridge.ts';
import type { ShellWindow } from '../../electron/shell/mainWindow.ts';
import type { TrayFactory, TrayHandle } from '../../electron/shell/recordingTray.ts';
import type { GuardedSession } from '../../electron/shell/sessionGuard.ts';
import { fakeClock } from './fakeClock.ts';
import type { FakeClock } from './fakeClock.ts';

type Listener = (...args: never[]) => unknown;

class Emitter {
  private readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    const wrapped = ((...args: never[]) => {
      this.off(event, wrapped);
      return listener(...args);
    }) as Listener;
    return this.on(event, wrapped);
  }
  off(event: string, listener: Listener): this {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((l) => l !== listener),
    );
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const l of [...(this.listeners.get(event) ?? [])]) (l as (...a: unknown[]) => unknown)(...args);
  }
  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

/** Electron's Event: preventDefault() is all a listener may call. */
export class FakeEvent implements Preventable {
  defaultPrevented = false;
  constructor(fields: Record<string, unknown> = {}) {
    Object.assign(this, fields);
  }
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

/** A preventable event with extra fields, typed for the listeners that read them. */
export function fakeEvent<T extends object>(fields: T): FakeEvent & T {
  return new FakeEvent(fields as Record<string, unknown>) as FakeEvent & T;
}

export class FakeContents extends Emitter implements GuardedContents {
  destroyed = false;
  readonly sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: ((d: Pick<HandlerDetails, 'url'>) => WindowOpenHandlerResponse) | null = null;
  setWindowOpenHandler(handler: (d: Pick<HandlerDetails, 'url'>) => WindowOpenHandlerResponse): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  /** An IPC event as Electron builds it for a frame of this webContents. */
  ipcEvent(url: string, opts: { subframe?: boolean; destroyedFrame?: boolean } = {}): SenderInfo {
    return {
      sender: this,
      senderFrame: opts.destroyedFrame ? null : { parent: opts.subframe ? {} : null, url },
    };
  }
}

export class FakeWindow extends Emitter implements ShellWindow {
  readonly webContents = new FakeContents();
  visible = false;
  minimized = false;
  maximized = false;
  destroyed = false;
  focusCount = 0;
  readonly loaded: string[] = [];
  bounds: Rectangle;
  readonly options: BrowserWindowConstructorOptions;
  constructor(options: BrowserWindowConstructorOptions) {
    super();
    this.options = options;
    this.bounds = {
      x: options.x ?? 100,
      y: options.y ?? 100,
      width: options.width ?? 800,
      height: options.height ?? 600,
    };
  }
  show(): void {
    this.visible = true;
    this.minimized = false;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {
    this.focusCount++;
  }
  restore(): void {
    this.minimized = false;
  }
  maximize(): void {
    this.maximized = true;
    this.emit('maximize');
  }
  minimize(): void {
    this.minimized = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getNormalBounds(): Rectangle {
    return { ...this.bounds };
  }
  async loadURL(url: string): Promise<void> {
    this.loaded.push(url);
  }
  /** The page painted its first frame. */
  paint(): void {
    this.emit('ready-to-show');
  }
  /** The user moves the window; Electron emits move. */
  moveTo(x: number, y: number): void {
    this.bounds = { ...this.bounds, x, y };
    this.emit('move');
  }
  /** What the close button does: close (preventable), then closed. True when it closed. */
  close(): boolean {
    if (this.destroyed) return true;
    const e = new FakeEvent();
    this.emit('close', e);
    if (e.defaultPrevented) return false;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
    return true;
  }
}

export class FakeApp extends Emitter implements ShellApp {
  isPackaged = true;
  hasLock = true;
  quitRequests = 0;
  /** True once a quit went through (before-quit not prevented, every window closed). */
  quitted = false;
  exitCode: number | null = null;
  readonly windows: FakeWindow[] = [];
  private resolveReady!: () => void;
  private readonly readyPromise = new Promise<void>((resolve) => (this.resolveReady = resolve));
  private readonly paths: { userData: string; logs: string };
  constructor(paths: { userData: string; logs: string }) {
    super();
    this.paths = paths;
  }
  requestSingleInstanceLock(): boolean {
    return this.hasLock;
  }
  whenReady(): Promise<unknown> {
    return this.readyPromise;
  }
  ready(): void {
    this.resolveReady();
  }
  getPath(name: 'userData' | 'logs'): string {
    return this.paths[name];
  }
  /** As Electron: before-quit (preventable), then every window is closed; a kept window cancels. */
  quit(): void {
    this.quitRequests++;
    const e = new FakeEvent();
    this.emit('before-quit', e);
    if (e.defaultPrevented) return;
    for (const w of this.windows) if (!w.close()) return;
    this.quitted = true;
  }
  exit(code = 0): void {
    this.exitCode = code;
  }
  /** Another launch of the app: Electron emits second-instance in this one. */
  secondInstance(): void {
    this.emit('second-instance');
  }
  liveWindows(): FakeWindow[] {
    return this.windows.filter((w) => !w.destroyed);
  }
}

export class FakeSession implements GuardedSession {
  permissionRequest: Parameters<GuardedSession['setPermissionRequestHandler']>[0] | null = null;
  permissionCheck: Parameters<GuardedSession['setPermissionCheckHandler']>[0] | null = null;
  devicePermission: (() => boolean) | null = null;
  headersReceived:
    | ((
        details: Pick<OnHeadersReceivedListenerDetails, 'url' | 'responseHeaders'>,
        callback: (response: HeadersReceivedResponse) => void,
      ) => void)
    | null = null;
  private readonly events = new Emitter();
  setPermissionRequestHandler(h: Parameters<GuardedSession['setPermissionRequestHandler']>[0]): void {
    this.permissionRequest = h;
  }
  setPermissionCheckHandler(h: Parameters<GuardedSession['setPermissionCheckHandler']>[0]): void {
    this.permissionCheck = h;
  }
  setDevicePermissionHandler(h: () => boolean): void {
    this.devicePermission = h;
  }
  readonly webRequest = {
    onHeadersReceived: (listener: NonNullable<FakeSession['headersReceived']>) => {
      this.headersReceived = listener;
    },
  };
  on(event: 'will-download', listener: (event: Preventable, item: { getURL(): string }) => void): this {
    this.events.on(event, listener as Listener);
    return this;
  }
  /** A download starts; true when it was cancelled. */
  download(url: string): boolean {
    const e = new FakeEvent();
    this.events.emit('will-download', e, { getURL: () => url });
    return e.defaultPrevented;
  }
  /** A response passes through the session; resolves with the headers it is given. */
  respond(
    url: string,
    responseHeaders: Record<string, string[]>,
  ): Record<string, string | string[]> | undefined {
    let out: Record<string, string | string[]> | undefined;
    this.headersReceived?.({ url, responseHeaders }, (r) => (out = r.responseHeaders));
    return out;
  }
}

type InvokeListener = (event: SenderInfo, input: unknown) => Promise<unknown>;

export class FakeIpcMain implements IpcRegistry {
  readonly handlers = new Map<string, InvokeListener>();
  handle(channel: string, listener: InvokeListener): void {
    // Electron's own message.
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** ipcRenderer.invoke from a frame: an unhandled channel rejects, as in Electron. */
  async invoke(channel: string, event: SenderInfo, input?: unknown): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    return h(event, input);
  }
}

export interface ShownMessageBox {
  parent: FakeWindow | null;
  options: MessageBoxOptions;
  aborted: boolean;
  press(button: number): void;
}

export class FakeDialogs implements ShellDialogs<FakeWindow> {
  readonly messageBoxes: ShownMessageBox[] = [];
  readonly errorBoxes: { title: string; content: string }[] = [];
  readonly openDialogs: OpenDialogOptions[] = [];
  openDialogAnswer: { canceled: boolean; filePaths: string[] } = { canceled: true, filePaths: [] };
  showMessageBox(parent: FakeWindow | null, options: MessageBoxOptions): Promise<{ response: number }> {
    return new Promise((resolve) => {
      const box: ShownMessageBox = {
        parent,
        options,
        aborted: false,
        press: (response) => resolve({ response }),
      };
      options.signal?.addEventListener('abort', () => {
        box.aborted = true;
        resolve({ response: options.cancelId ?? 0 });
      });
      this.messageBoxes.push(box);
    });
  }
  showErrorBox(title: string, content: string): void {
    this.errorBoxes.push({ title, content });
  }
  async showOpenDialog(options: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }> {
    this.openDialogs.push(options);
    return this.openDialogAnswer;
  }
  readonly saveDialogs: SaveDialogOptions[] = [];
  saveDialogAnswer: { canceled: boolean; filePath?: string } = { canceled: true };
  async showSaveDialog(options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string }> {
    this.saveDialogs.push(options);
    return this.saveDialogAnswer;
  }
}

export class FakeTray implements TrayHandle {
  toolTip = '';
  menu: MenuItemConstructorOptions[] | null = null;
  destroyed = false;
  readonly clickListeners: (() => void)[] = [];
  on(_event: 'click', listener: () => void): this {
    this.clickListeners.push(listener);
    return this;
  }
  setToolTip(toolTip: string): void {
    this.toolTip = toolTip;
  }
  setContextMenu(menu: Menu | null): void {
    this.menu = menu as unknown as MenuItemConstructorOptions[] | null;
  }
  destroy(): void {
    this.destroyed = true;
  }
  /** Clicks the menu item with this label. */
  choose(label: string): void {
    const item = this.menu?.find((i) => i.label === label);
    if (!item?.click) throw new Error(`no tray menu item ${label}`);
    (item.click as () => void)();
  }
}

export class FakeTrayFactory implements TrayFactory {
  readonly trays: FakeTray[] = [];
  createTray(): FakeTray {
    const t = new FakeTray();
    this.trays.push(t);
    return t;
  }
  buildMenu(template: MenuItemConstructorOptions[]): Menu {
    return template as unknown as Menu;
  }
  live(): FakeTray[] {
    return this.trays.filter((t) => !t.destroyed);
  }
}

export class FakeNotifier implements DesktopNotifier {
  supported = true;
  readonly shown: { title: string; body: string }[] = [];
  isSupported(): boolean {
    return this.supported;
  }
  show(notice: { title: string; body: string }): void {
    this.shown.push(notice);
  }
}

export class FakeProtocol {
  readonly privileged: CustomScheme[] = [];
  readonly handlers = new Map<string, AppProtocolHandler>();
  /** Electron refuses privileges after ready; the fake records whether that was respected. */
  registeredAfterReady = false;
  private readonly isReady: () => boolean;
  constructor(isReady: () => boolean) {
    this.isReady = isReady;
  }
  registerSchemesAsPrivileged(schemes: CustomScheme[]): void {
    if (this.isReady()) this.registeredAfterReady = true;
    this.privileged.push(...schemes);
  }
  handle(scheme: string, handler: AppProtocolHandler): void {
    this.handlers.set(scheme, handler);
  }
}

/** powerMonitor: tests emit 'resume' by hand. */
export class FakePowerMonitor {
  private readonly listeners = new Map<string, Array<() => void>>();
  on(event: 'resume' | 'unlock-screen', listener: () => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: 'resume' | 'unlock-screen'): void {
    for (const l of this.listeners.get(event) ?? []) l();
  }
}

/**
 * safeStorage: a reversible stand-in for the keychain (XOR and a marker), so a test can tell a
 * sealed value from a plain one; `available` and `backend` model Linux without a keyring.
 */
export class FakeSafeStorage {
  available = true;
  backend: 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'unknown' = 'gnome_libsecret';
  isEncryptionAvailable(): boolean {
    return this.available;
  }
  getSelectedStorageBackend() {
    return this.backend;
  }
  encryptString(plain: string): Buffer {
    const b = Buffer.from(`sealed:${plain}`, 'utf8');
    for (let i = 0; i < b.length; i++) b[i] ^= 0x5a;
    return b;
  }
  decryptString(sealed: Buffer): string {
    const b = Buffer.from(sealed);
    for (let i = 0; i < b.length; i++) b[i] ^= 0x5a;
    const s = b.toString('utf8');
    if (!s.startsWith('sealed:'))
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return s.slice('sealed:'.length);
  }
}

export interface FakeElectron {
  app: FakeApp;
  session: FakeSession;
  ipcMain: FakeIpcMain;
  dialogs: FakeDialogs;
  tray: FakeTrayFactory;
  notifier: FakeNotifier;
  powerMonitor: FakePowerMonitor;
  safeStorage: FakeSafeStorage;
  protocol: FakeProtocol;
  clock: FakeClock;
  workAreas: Rectangle[];
  logs: string[];
  /** The application menu the shell set, as its template. */
  menu: { template: MenuItemConstructorOptions[] | null };
  env: ShellEnv<FakeWindow>;
}

/** A complete ShellEnv over fakes; `over` replaces parts of it. */
export function fakeElectron(
  o: { userData: string; rendererDir: string; platform?: string; argv?: string[] },
  over: Partial<ShellEnv<FakeWindow>> = {},
): FakeElectron {
  let ready = false;
  const app = new FakeApp({ userData: o.userData, logs: o.userData });
  const readyOriginal = app.ready.bind(app);
  app.ready = () => {
    ready = true;
    readyOriginal();
  };
  const logs: string[] = [];
  const log = Object.assign((m: string) => void logs.push(m), { drain: async () => undefined });
  const kit = {
    app,
    session: new FakeSession(),
    ipcMain: new FakeIpcMain(),
    dialogs: new FakeDialogs(),
    tray: new FakeTrayFactory(),
    notifier: new FakeNotifier(),
    powerMonitor: new FakePowerMonitor(),
    safeStorage: new FakeSafeStorage(),
    protocol: new FakeProtocol(() => ready),
    clock: fakeClock(),
    workAreas: [{ x: 0, y: 0, width: 1920, height: 1040 }],
    logs,
    menu: { template: null as MenuItemConstructorOptions[] | null },
  };
  const env: ShellEnv<FakeWindow> = {
    app,
    platform: o.platform ?? 'linux',
    argv: o.argv ?? [],
    files: { rendererDir: o.rendererDir, preload: '/app/dist/electron/preload.cjs' },
    protocol: kit.protocol,
    session: kit.session,
    ipcMain: kit.ipcMain,
    createWindow: (options) => {
      const w = new FakeWindow(options);
      app.windows.push(w);
      // Electron emits web-contents-created for every new webContents.
      app.emit('web-contents-created', new FakeEvent(), w.webContents);
      return w;
    },
    workAreas: () => kit.workAreas,
    dialogs: kit.dialogs,
    tray: kit.tray,
    setApplicationMenu: (template) => void (kit.menu.template = template),
    notifier: kit.notifier,
    powerMonitor: kit.powerMonitor,
    safeStorage: kit.safeStorage,
    log,
    timers: kit.clock,
    ...over,
  };
  return { ...kit, env };
}
