// A tray icon while recording, so closing the window does not look like the recorder stopped.
import type { Menu, MenuItemConstructorOptions } from 'electron';
import type { RecordingStatus } from '../../shared/catalog.ts';

/** The parts of an Electron Tray the icon uses. */
export interface TrayHandle {
  on(event: 'click', listener: () => void): unknown;
  setToolTip(toolTip: string): void;
  setContextMenu(menu: Menu | null): void;
  destroy(): void;
}

export interface TrayFactory {
  /** new Tray(nativeImage.createFromPath(icon)) */
  createTray(): TrayHandle;
  /** Menu.buildFromTemplate */
  buildMenu(template: MenuItemConstructorOptions[]): Menu;
}

export interface TrayActions {
  show(): void;
  stopRecording(): void;
  quit(): void;
}

export interface RecordingTray {
  update(status: RecordingStatus): void;
  destroy(): void;
}

export function trayToolTip(status: RecordingStatus): string {
  const n = status.symbols.length;
  return `Tickscope: recording${status.feed ? ` ${status.feed}` : ''} (${n} symbol${n === 1 ? '' : 's'})`;
}

export function createRecordingTray(factory: TrayFactory, actions: TrayActions): RecordingTray {
  let tray: TrayHandle | null = null;
  const destroy = () => {
    tray?.destroy();
    tray = null;
  };
  return {
    update(status) {
      if (!status.recording) return destroy();
      if (!tray) {
        tray = factory.createTray();
        tray.on('click', actions.show);
      }
      tray.setToolTip(trayToolTip(status));
      tray.setContextMenu(
        factory.buildMenu([
          { label: 'Show Tickscope', click: actions.show },
          { label: 'Stop recording', click: actions.stopRecording },
          { type: 'separator' },
          { label: 'Quit (flush to disk)', click: actions.quit },
        ]),
      );
    },
    destroy,
  };
}
