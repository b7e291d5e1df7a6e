// Picks the transport: the Electron preload bridge when present, else the headless WebSocket.
import type { TickscopeApi } from '../../shared/ipc/contract.ts';
import type { TickscopeBridge } from '../../shared/ipc/wire.ts';
import { createBridgeClient } from './bridgeClient.ts';
import type { ConnectionState } from './connectionState.ts';
import { WsTickscopeClient } from './wsClient.ts';
import type { SocketLike } from './wsClient.ts';
import { buildWsUrl } from './wsUrl.ts';

export interface Connection {
  api: TickscopeApi;
  /** True inside Electron: native dialogs (folder picker) are available. */
  isElectron: boolean;
  state(): ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
}

export function createConnection(win: Window): Connection {
  const bridge = (win as unknown as { tickscope?: TickscopeBridge }).tickscope;
  if (bridge && typeof bridge.subscribe === 'function') {
    const api = createBridgeClient(bridge);
    // One object: React compares snapshots by identity.
    const ipc: ConnectionState = { kind: 'ipc' };
    return { api, isElectron: true, state: () => ipc, onState: () => () => {} };
  }
  const { url, tokenPresent } = buildWsUrl(win.location);
  const client = new WsTickscopeClient({
    url,
    tokenPresent,
    createSocket: (u) => new WebSocket(u) as unknown as SocketLike,
  });
  client.start();
  return { api: client, isElectron: false, state: () => client.state, onState: (l) => client.onState(l) };
}
