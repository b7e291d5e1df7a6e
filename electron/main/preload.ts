// The only thing the page gets from Electron: `window.tickscope`, one function per request
// channel and a subscribe for the contract's events. No generic invoke and no ipcRenderer, so the
// page can reach nothing in main but the contract. Bundled to CommonJS: sandboxed preloads
// cannot be ES modules.
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { EVENT_CHANNELS, REQUEST_CHANNELS } from '../../shared/ipc/contract.ts';
import type { EventChannel } from '../../shared/ipc/contract.ts';
import { ELECTRON_EVENT_PREFIX, ELECTRON_REQUEST_PREFIX } from '../../shared/ipc/wire.ts';
import type { TickscopeBridge } from '../../shared/ipc/wire.ts';

const requests = Object.fromEntries(
  REQUEST_CHANNELS.map((channel) => [
    channel,
    (input: unknown) => ipcRenderer.invoke(ELECTRON_REQUEST_PREFIX + channel, input),
  ]),
) as unknown as TickscopeBridge['requests'];

const eventChannels: ReadonlySet<string> = new Set<EventChannel>(EVENT_CHANNELS);

const bridge: TickscopeBridge = {
  requests: Object.freeze(requests),
  subscribe(channel, listener) {
    if (!eventChannels.has(channel)) throw new Error(`unknown event channel ${JSON.stringify(channel)}`);
    const name = ELECTRON_EVENT_PREFIX + channel;
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload as never);
    ipcRenderer.on(name, wrapped);
    return () => {
      ipcRenderer.removeListener(name, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('tickscope', bridge);
