// Picks the transport: the Electron preload bridge when present, else the headless WebSocket.
import type { TickscopeApi } from '../../shared/ipc/contract.ts';
import type { TickscopeBridge } from '../../shared/ipc/wire.ts';
import { createAccessCheck } from './accessCheck.ts';
import { createBridgeClient } from './bridgeClient.ts';
import type { ConnectionState } from './connectionState.ts';
import { takePageToken } from './pageToken.ts';
import { WsTickscopeClient } from './wsClient.ts';
import type { SocketLike } from './wsClient.ts';
import { buildWsUrl, transportableToken, wsProtocols } from './wsUrl.ts';

export interface Connection {
  api: TickscopeApi;
  /** True inside Electron: native dialogs (folder picker) are available. */
  isElectron: boolean;
  state(): ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
}

/** Call before anything else reads or writes the URL: it takes the token out of the address bar. */
export function createConnection(win: Window): Connection {
  const bridge = (win as unknown as { tickscope?: TickscopeBridge }).tickscope;
  if (bridge && typeof bridge.subscribe === 'function') {
    const api = createBridgeClient(bridge);
    // One object: React compares snapshots by identity.
    const ipc: ConnectionState = { kind: 'ipc' };
    return { api, isElectron: true, state: () => ipc, onState: () => () => {} };
  }
  const token = transportableToken(takePageToken(win));
  const client = new WsTickscopeClient({
    url: buildWsUrl(win.location),
    protocols: wsProtocols(token),
    createSocket: (u, protocols) => new WebSocket(u, protocols) as unknown as SocketLike,
    checkAccess: createAccessCheck((url, init) => win.fetch(url, init), token),
  });
  client.start();
  return { api: client, isElectron: false, state: () => client.state, onState: (l) => client.onState(l) };
}
