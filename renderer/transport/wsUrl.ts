// Where the page's WebSocket goes and how it proves it holds the token. The token travels as a
// subprotocol entry (`token.<token>` in Sec-WebSocket-Protocol), never in the socket's URL:
// browsers print a failed socket's URL to the console. The names live in shared/ipc/wire.ts,
// which the server reads too.
import { ACCESS_CHECK_PATH, WS_PATH, WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX } from '../../shared/ipc/wire.ts';

export { ACCESS_CHECK_PATH, WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX };

export interface PageLocation {
  protocol: string;
  host: string;
}

export function tokenFromSearch(search: string): string | null {
  const token = new URLSearchParams(search).get('token');
  return token && token.length > 0 ? token : null;
}

export function buildWsUrl(location: PageLocation): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${WS_PATH}`;
}

/** Characters a subprotocol (and a header value) may hold: an HTTP token. */
const TOKEN_CHARS = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The token if it can travel in a header, else null: `new WebSocket` throws on a subprotocol of
 * other characters. Such a token could not be the server's anyway (serve's are A-Z a-z 0-9 _ -),
 * so leaving it out only means the page's cookie is its one credential.
 */
export function transportableToken(token: string | null): string | null {
  return token !== null && TOKEN_CHARS.test(token) ? token : null;
}

/** The subprotocols the page offers: ours, and the token entry when it has a token. */
export function wsProtocols(token: string | null): string[] {
  const t = transportableToken(token);
  return t ? [WS_PROTOCOL, `${WS_TOKEN_PROTOCOL_PREFIX}${t}`] : [WS_PROTOCOL];
}
