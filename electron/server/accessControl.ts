// Who may talk to the headless server. Like Jupyter: a random token in the printed URL, kept in
// an HttpOnly cookie after the first page load; the Host header must name this server (against
// DNS rebinding) and a WebSocket's Origin must be this server's own (against cross-site
// WebSocket hijacking). The page sends its token on the WebSocket as a subprotocol entry rather
// than in the URL, because browsers print a failed socket's URL to the console.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import { ACCESS_CHECK_PATH, WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX } from '../../shared/ipc/wire.ts';

export { ACCESS_CHECK_PATH, WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX };

export function newToken(): string {
  return randomBytes(32).toString('hex');
}

export interface AccessPolicy {
  token: string;
  /** Cookie names are per port: browsers share cookies between ports of one host. */
  cookieName: string;
  allowedHosts: Set<string>;
  allowedOrigins: Set<string>;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export function createAccessPolicy(token: string, host: string, port: number): AccessPolicy {
  const names = new Set(LOOPBACK_NAMES);
  names.add(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
  const allowedHosts = new Set<string>();
  const allowedOrigins = new Set<string>();
  for (const n of names) {
    allowedHosts.add(`${n}:${port}`.toLowerCase());
    allowedOrigins.add(`http://${n}:${port}`.toLowerCase());
  }
  // The exact --host value is accepted as given too (a reverse proxy may send it bare).
  allowedHosts.add(host.toLowerCase());
  return { token, cookieName: `tickscope_token_${port}`, allowedHosts, allowedOrigins };
}

export function hostAllowed(p: AccessPolicy, req: IncomingMessage): boolean {
  const h = req.headers.host;
  return typeof h === 'string' && p.allowedHosts.has(h.toLowerCase());
}

export function originAllowed(p: AccessPolicy, req: IncomingMessage): boolean {
  const o = req.headers.origin;
  return typeof o === 'string' && p.allowedOrigins.has(o.toLowerCase());
}

export function tokenMatches(p: AccessPolicy, candidate: string | null | undefined): boolean {
  if (typeof candidate !== 'string') return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(p.token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function cookieToken(p: AccessPolicy, req: IncomingMessage): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === p.cookieName) return part.slice(eq + 1).trim();
  }
  return null;
}

export function tokenCookie(p: AccessPolicy): string {
  return `${p.cookieName}=${p.token}; Path=/; HttpOnly; SameSite=Strict`;
}

/** The token of a `token.<token>` entry in Sec-WebSocket-Protocol, if there is one. */
export function protocolToken(req: IncomingMessage): string | null {
  const header = req.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return null;
  for (const entry of header.split(',')) {
    const e = entry.trim();
    if (e.startsWith(WS_TOKEN_PROTOCOL_PREFIX)) return e.slice(WS_TOKEN_PROTOCOL_PREFIX.length);
  }
  return null;
}

/** The token of an `Authorization: Bearer <token>` header (the page's access check sends one). */
export function bearerToken(req: IncomingMessage): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m ? m[1] : null;
}

/** The subprotocol to echo: only ours, so the token entry is never sent back. */
export function chooseProtocol(offered: ReadonlySet<string>): string | false {
  return offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false;
}

export type Credential = 'query' | 'cookie' | 'protocol' | 'bearer';

/** Which credential a request carries: 'query' means a cookie should be set in the response. */
export function authenticate(p: AccessPolicy, req: IncomingMessage, url: URL): Credential | null {
  if (tokenMatches(p, url.searchParams.get('token'))) return 'query';
  if (tokenMatches(p, cookieToken(p, req))) return 'cookie';
  if (tokenMatches(p, protocolToken(req))) return 'protocol';
  if (tokenMatches(p, bearerToken(req))) return 'bearer';
  return null;
}

/** A request target fit for a log line: the value of every `token=` parameter is replaced. */
export function redactToken(target: string): string {
  return target.replace(/([?&;]token=)[^&#\s]*/gi, '$1…');
}
