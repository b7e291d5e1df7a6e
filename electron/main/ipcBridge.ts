// Main's side of the preload bridge: one ipcMain handler per contract channel, answering only our
// own window's top frame showing app://tickscope/index.html, and events forwarded to that window.
import { ipcMain } from 'electron';
import type { BrowserWindow } from 'electron';
import { REQUEST_CHANNELS } from '../../shared/ipc/contract.ts';
import type { IpcResult } from '../../shared/ipc/result.ts';
import { ELECTRON_EVENT_PREFIX, ELECTRON_REQUEST_PREFIX } from '../../shared/ipc/wire.ts';
import type { Connection, TickscopeService } from '../app/tickscopeService.ts';
import { isTrustedSender } from './appOrigin.ts';

export interface IpcBridge {
  /** Points the bridge at a (new) window; events go to it, requests are accepted only from it. */
  attachWindow(win: BrowserWindow): void;
  dispose(): void;
}

export function registerIpc(
  service: TickscopeService,
  log: (m: string) => void,
  afterCall: (channel: string, result: IpcResult<unknown>) => void,
): IpcBridge {
  let win: BrowserWindow | null = null;
  let conn: Connection | null = null;

  for (const channel of REQUEST_CHANNELS) {
    ipcMain.handle(ELECTRON_REQUEST_PREFIX + channel, async (e, input: unknown) => {
      if (!isTrustedSender(e, win) || !conn) {
        log(`ipc ${channel} refused from ${e.senderFrame?.url ?? 'a destroyed frame'}`);
        return { ok: false, error: { code: 'unauthorized', message: 'not the Tickscope window' } };
      }
      const result = await conn.dispatch(channel, input);
      afterCall(channel, result);
      return result;
    });
  }

  return {
    attachWindow(next) {
      conn?.close();
      win = next;
      const contents = next.webContents;
      conn = service.connect({
        send(event, payload) {
          if (!contents.isDestroyed()) contents.send(ELECTRON_EVENT_PREFIX + event, payload);
        },
      });
      const mine = conn;
      next.on('closed', () => {
        mine.close();
        if (conn === mine) conn = null;
        if (win === next) win = null;
      });
    },
    dispose() {
      for (const channel of REQUEST_CHANNELS) ipcMain.removeHandler(ELECTRON_REQUEST_PREFIX + channel);
      conn?.close();
    },
  };
}
