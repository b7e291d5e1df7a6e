// What the preload hands the page as `window.tickscope`: one function per request channel and a
// subscribe for the contract's events. No generic invoke and no ipcRenderer, so the page can
// reach nothing in main but the contract.
import { EVENT_CHANNELS, REQUEST_CHANNELS } from '../../shared/ipc/contract.ts';
import type { EventChannel } from '../../shared/ipc/contract.ts';
import { ELECTRON_EVENT_PREFIX, ELECTRON_REQUEST_PREFIX } from '../../shared/ipc/wire.ts';
import type { TickscopeBridge } from '../../shared/ipc/wire.ts';

/** The three ipcRenderer calls the bridge makes. */
export interface PreloadIpc {
  invoke(channel: string, input: unknown): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
}

export function createPreloadBridge(ipc: PreloadIpc): TickscopeBridge {
  const requests = Object.fromEntries(
    // Exactly one argument is passed on: extra arguments from the page never reach main.
    REQUEST_CHANNELS.map((channel) => [
      channel,
      (input: unknown) => ipc.invoke(ELECTRON_REQUEST_PREFIX + channel, input),
    ]),
  ) as unknown as TickscopeBridge['requests'];

  const eventChannels: ReadonlySet<string> = new Set<EventChannel>(EVENT_CHANNELS);

  return Object.freeze({
    requests: Object.freeze(requests),
    subscribe(channel, listener) {
      if (!eventChannels.has(channel)) throw new Error(`unknown event channel ${JSON.stringify(channel)}`);
      const name = ELECTRON_EVENT_PREFIX + channel;
      // The IPC event (which carries a sender and ports) stays in the preload; the page sees the payload.
      const wrapped = (_e: unknown, payload: unknown) => listener(payload as never);
      ipc.on(name, wrapped);
      return () => {
        ipc.removeListener(name, wrapped);
      };
    },
  } satisfies TickscopeBridge);
}
