// The Electron entry: hands the real Electron objects to the desktop shell (electron/shell/),
// which makes every decision and is tested without the Electron binary. Only adapters here.
import {
  BrowserWindow,
  Menu,
  Notification,
  Tray,
  app,
  dialog,
  ipcMain,
  nativeImage,
  powerMonitor,
  protocol,
  safeStorage,
  screen,
  session,
} from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDesktopShell } from '../shell/desktopShell.ts';

// main.js sits in dist/electron/ beside the preload and tray icons; the renderer is built to
// dist/renderer/, which the window reads through app://tickscope/, never through file://.
const here = path.dirname(fileURLToPath(import.meta.url));
const trayIcon = path.join(here, process.platform === 'win32' ? 'tray-32.png' : 'tray-16.png');

runDesktopShell<BrowserWindow>({
  app,
  platform: process.platform,
  argv: process.argv,
  files: { rendererDir: path.join(here, '../renderer'), preload: path.join(here, 'preload.cjs') },
  protocol,
  // A getter: the default session exists only once the app is ready.
  get session() {
    return session.defaultSession;
  },
  ipcMain,
  createWindow: (options) => new BrowserWindow(options),
  workAreas: () => {
    const primary = screen.getPrimaryDisplay().id;
    const all = screen.getAllDisplays();
    return [...all.filter((d) => d.id === primary), ...all.filter((d) => d.id !== primary)].map(
      (d) => d.workArea,
    );
  },
  dialogs: {
    showMessageBox: (parent, options) =>
      parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options),
    showErrorBox: (title, content) => dialog.showErrorBox(title, content),
    showOpenDialog: (options) => dialog.showOpenDialog(options),
    showSaveDialog: (options) => dialog.showSaveDialog(options),
  },
  tray: {
    createTray: () => new Tray(nativeImage.createFromPath(trayIcon)),
    buildMenu: (template) => Menu.buildFromTemplate(template),
  },
  setApplicationMenu: (template) => Menu.setApplicationMenu(Menu.buildFromTemplate(template)),
  notifier: {
    isSupported: () => Notification.isSupported(),
    show: (notice) => new Notification(notice).show(),
  },
  powerMonitor,
  safeStorage,
});
