// The application menu. Electron's default menu carries Reload and Toggle Developer Tools, which
// a recorder's users have no use for and which would hand anyone at the keyboard a console in
// the page; this one keeps only editing (copy from tables and fields), zoom, and quit, where
// "Quit" is the same flushed quit as the tray's.
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  show(): void;
  quit(): void;
}

export function appMenuTemplate(platform: string, actions: MenuActions): MenuItemConstructorOptions[] {
  const quit: MenuItemConstructorOptions = {
    label: platform === 'darwin' ? 'Quit Tickscope' : 'Quit',
    accelerator: 'CmdOrCtrl+Q',
    click: actions.quit,
  };
  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const window: MenuItemConstructorOptions = {
    label: 'Window',
    submenu: [{ label: 'Show Tickscope', click: actions.show }, { role: 'minimize' }],
  };
  if (platform === 'darwin') {
    return [
      {
        label: 'Tickscope',
        submenu: [
          { role: 'about' },
          { type: 'separator' },
          { role: 'hide' },
          { role: 'hideOthers' },
          { type: 'separator' },
          quit,
        ],
      },
      edit,
      view,
      window,
    ];
  }
  return [{ label: 'File', submenu: [quit] }, edit, view, window];
}
