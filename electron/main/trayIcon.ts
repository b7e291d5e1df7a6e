// A tray icon while recording, so closing the window does not look like the recorder stopped.
import { Menu, Tray, nativeImage } from 'electron';
import type { RecordingStatus } from '../../shared/catalog.ts';

export interface TrayActions {
  show(): void;
  stopRecording(): void;
  quit(): void;
}

export interface RecordingTray {
  update(status: RecordingStatus): void;
  destroy(): void;
}

export function createRecordingTray(iconPath: string, actions: TrayActions): RecordingTray {
  let tray: Tray | null = null;
  return {
    update(status) {
      if (!status.recording) {
        tray?.destroy();
        tray = null;
        return;
      }
      if (!tray) {
        tray = new Tray(nativeImage.createFromPath(iconPath));
        tray.on('click', actions.show);
      }
      tray.setToolTip(`Tickscope: recording ${status.feed ?? ''} (${status.symbols.length} symbols)`);
      tray.setContextMenu(
        Menu.buildFromTemplate([
          { label: 'Show Tickscope', click: actions.show },
          { label: 'Stop recording', click: actions.stopRecording },
          { type: 'separator' },
          { label: 'Quit (flush to disk)', click: actions.quit },
        ]),
      );
    },
    destroy() {
      tray?.destroy();
      tray = null;
    },
  };
}
