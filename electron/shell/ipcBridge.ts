// Main's side of the preload bridge: one handler per contract channel, answering only our own
// window's top frame showing app://tickscope/index.html, and the contract's events forwarded to
// that window. Input validation happens in the service's dispatch, which every transport shares.
import { REQUEST_CHANNELS } from '../../shared/ipc/contract.ts';
import type { IpcResult } from '../../shared/ipc/result.ts';
import { ELECTRON_EVENT_PREFIX, ELECTRON_REQUEST_PREFIX } from '../../shared/ipc/wire.ts';
import type { Connection, TickscopeService } from '../app/tickscopeService.ts';
import { isTrustedSender } from './appOrigin.ts';
import type { SenderInfo } from './appOrigin.ts';

/** ipcMain's handler registry (Electron throws on a second handler for one channel). */
export interface IpcRegistry {
  handle(channel: string, listener: (event: SenderInfo, input: unknown) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** The parts of our BrowserWindow the bridge uses. */
export interface BridgeWindow {
  isDestroyed(): boolean;
  webContents: { isDestroyed(): boolean; send(channel: string, payload: unknown): void };
  on(event: 'closed', listener: () => void): unknown;
}

export interface IpcBridge {
  /** Points the bridge at a (new) window; events go to it, requests are accepted only from it. */
  attachWindow(win: BridgeWindow): void;
  dispose(): void;
}

export const UNTRUSTED_SENDER = {
  ok: false,
  error: { code: 'unauthorized', message: 'not the Tickscope window' },
} as const;

export function registerIpc(
  ipcMain: IpcRegistry,
  service: Pick<TickscopeService, 'connect'>,
  log: (m: string) => void,
  afterCall: (channel: string, result: IpcResult<unknown>) => void,
): IpcBridge {
  let win: BridgeWindow | null = null;
  let conn: Connection | null = null;

  for (const channel of REQUEST_CHANNELS) {
    ipcMain.handle(ELECTRON_REQUEST_PREFIX + channel, async (e, input) => {
      if (!isTrustedSender(e, win) || !conn) {
        log(`ipc ${channel} refused from ${e.senderFrame?.url ?? 'a destroyed frame'}`);
        return UNTRUSTED_SENDER;
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
      conn = null;
      win = null;
    },
  };
}
