// The headless server prints http://127.0.0.1:PORT/?token=...; the page passes that token on to
// the WebSocket so only someone holding the printed URL can reach the engine.
import { WS_PATH } from '../../shared/ipc/wire.ts';

export interface PageLocation {
  protocol: string;
  host: string;
  search: string;
}

export function tokenFromSearch(search: string): string | null {
  const token = new URLSearchParams(search).get('token');
  return token && token.length > 0 ? token : null;
}

export function buildWsUrl(location: PageLocation): { url: string; tokenPresent: boolean } {
  const token = tokenFromSearch(location.search);
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  return { url: `${scheme}://${location.host}${WS_PATH}${query}`, tokenPresent: token !== null };
}
