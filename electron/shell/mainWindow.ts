// The one window: created hardened and hidden, shown when painted, hidden to the tray (not
// closed) while recording, recreated when the user asks for it after it was closed. A second
// launch, the dock icon and the tray all land in show().
import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';
import { INDEX_URL } from './appProtocol.ts';
import type { Preventable } from './contentsGuard.ts';
import type { BridgeWindow } from './ipcBridge.ts';
import { secureWebPreferences } from './webPreferences.ts';
import { MIN_WINDOW, placeWindow } from './windowState.ts';
import type { TrackedWindow, WindowState } from './windowState.ts';

/** The parts of a BrowserWindow the shell uses. */
export interface ShellWindow extends BridgeWindow, TrackedWindow {
  show(): void;
  hide(): void;
  focus(): void;
  restore(): void;
  maximize(): void;
  isMinimized(): boolean;
  isVisible(): boolean;
  loadURL(url: string): Promise<void>;
  once(event: 'ready-to-show', listener: () => void): unknown;
  on(event: 'close', listener: (event: Preventable) => void): unknown;
  on(event: 'closed' | 'resize' | 'move' | 'maximize' | 'unmaximize', listener: () => void): unknown;
}

export interface MainWindowDeps<W extends ShellWindow> {
  /** new BrowserWindow(options) */
  create(options: BrowserWindowConstructorOptions): W;
  preload: string;
  /** Developer tools in the page: true only when the app runs unpackaged. */
  devTools: boolean;
  /** Work areas of today's displays, primary first (screen.getAllDisplays()). */
  workAreas(): Rectangle[];
  /** Called for every new window: IPC bridge, state tracking. */
  adopt(win: W): void;
  /** While true, closing the window only hides it. */
  keepsRunningInTray(): boolean;
  quitting(): boolean;
  log(message: string): void;
}

export interface MainWindow<W extends ShellWindow> {
  /** Creates the window (at most one lives at a time). */
  open(state: WindowState): W;
  /** Brings the window to the front, creating it again if it was closed. */
  show(): void;
  current(): W | null;
}

export function createMainWindow<W extends ShellWindow>(d: MainWindowDeps<W>): MainWindow<W> {
  let win: W | null = null;
  let lastState: WindowState | null = null;
  const live = () => (win && !win.isDestroyed() ? win : null);

  function open(state: WindowState): W {
    const existing = live();
    if (existing) return existing;
    lastState = state;
    const w = d.create({
      ...placeWindow(state, d.workAreas()),
      minWidth: MIN_WINDOW.width,
      minHeight: MIN_WINDOW.height,
      show: false,
      title: 'Tickscope',
      backgroundColor: '#0f1115',
      webPreferences: secureWebPreferences(d.preload, d.devTools),
    });
    win = w;
    d.adopt(w);
    w.once('ready-to-show', () => {
      if (state.maximized) w.maximize();
      w.show();
    });
    w.on('close', (e) => {
      // Closing the window keeps recording in the tray; Quit from the tray or menu stops it.
      if (d.quitting() || !d.keepsRunningInTray()) {
        // Reopened from the dock or a second launch, the window comes back where it was.
        if (!w.isDestroyed()) lastState = { bounds: w.getNormalBounds(), maximized: w.isMaximized() };
        return;
      }
      e.preventDefault();
      w.hide();
    });
    w.on('closed', () => {
      if (win === w) win = null;
    });
    w.loadURL(INDEX_URL).catch((err: unknown) => d.log(`loading the UI failed: ${(err as Error).message}`));
    return w;
  }

  return {
    open,
    show() {
      const w = live();
      if (!w) {
        // Before the first open (startup still running) there is nothing to show yet: the
        // window shows itself once painted.
        if (lastState) open(lastState);
        return;
      }
      if (w.isMinimized()) w.restore();
      w.show();
      w.focus();
    },
    current: live,
  };
}
