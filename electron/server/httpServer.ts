// The headless server: the built renderer over HTTP and the contract over a WebSocket, both
// behind the token, Host and Origin checks of accessControl.ts. Log lines name request targets
// with their token redacted: only the printed URL carries it.
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { WS_PATH } from '../../shared/ipc/wire.ts';
import type { TickscopeService } from '../app/tickscopeService.ts';
import type { AccessPolicy } from './accessControl.ts';
import {
  ACCESS_CHECK_PATH,
  authenticate,
  chooseProtocol,
  createAccessPolicy,
  hostAllowed,
  originAllowed,
  redactToken,
  tokenCookie,
} from './accessControl.ts';
import { isExportDownloadPath, serveExportDownload } from './exportDownloads.ts';
import { METRICS_PATH, serveMetrics } from './metricsRoute.ts';
import type { PageSource } from '../app/replay/replayPlayer.ts';
import { REPLAY_PATH, attachReplayFeed } from './replayFeed.ts';
import { serveStatic } from './staticFiles.ts';
import { attachConnection } from './wsBridge.ts';
import type { WsLimits } from './wsBridge.ts';

export const MAX_WS_FRAME_BYTES = 1024 * 1024;
export const WS_CLOSE_UNAUTHORIZED = 4401;
/** How long close() lets WebSocket clients finish their close handshake. */
const CLOSE_GRACE_MS = 1000;

export interface HttpServerOptions {
  service: TickscopeService;
  rendererDir: string;
  csp: string;
  host: string;
  port: number;
  token: string;
  log: (message: string) => void;
  /** Per-connection WebSocket bounds (wsBridge.ts DEFAULT_WS_LIMITS unless given). */
  wsLimits?: Partial<WsLimits>;
  /** The stored-tick stream the /replay feed reads (default: the current store's streamPage). */
  readReplayPage?: PageSource;
}

export interface RunningServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function startHttpServer(o: HttpServerOptions): Promise<RunningServer> {
  let policy: AccessPolicy | null = null;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_WS_FRAME_BYTES,
    handleProtocols: (offered) => chooseProtocol(offered),
  });
  wss.on('connection', (ws) => attachConnection(ws, o.service, o.log, o.wsLimits));
  // The replay feed is for plain WebSocket clients (no subprotocol), one replay per socket.
  const replayWss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const readPage: PageSource =
    o.readReplayPage ?? ((sel, cursor, n) => o.service.store().streamPage(sel, cursor, n));

  const server = http.createServer((req, res) => {
    void handleHttp(req, res).catch((err: unknown) => {
      o.log(`http ${req.method} ${redactToken(req.url ?? '')}: ${(err as Error).message}`);
      if (!res.headersSent) plain(res, 500, 'internal error');
      else res.destroy();
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res, o.csp);
    const p = policy;
    if (!p) return plain(res, 503, 'starting');
    if (!hostAllowed(p, req)) return plain(res, 403, 'forbidden: unexpected Host header');
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === METRICS_PATH) return serveMetrics(p, o.service, req, res, url);
    const auth = authenticate(p, req, url);
    if (!auth)
      return plain(res, 401, 'unauthorized: open the URL printed by `npm run serve` (it has ?token=)');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return plain(res, 405, 'method not allowed');
    }
    if (auth === 'query') res.setHeader('Set-Cookie', tokenCookie(p));
    if (url.pathname === ACCESS_CHECK_PATH) {
      res.statusCode = 204;
      res.setHeader('Cache-Control', 'no-store');
      res.end();
      return;
    }
    if (isExportDownloadPath(url.pathname))
      return serveExportDownload(o.service.exports, req, res, url.pathname);
    const outcome = await serveStatic(o.rendererDir, url.pathname, req.method, res);
    if (outcome === 'not_found') plain(res, 404, 'not found');
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const p = policy;
    if (!p) return refuse(socket, 503, 'Service Unavailable');
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      // A throw here would escape the 'upgrade' listener and take the whole server down.
      return refuse(socket, 400, 'Bad Request');
    }
    const replay = url.pathname === REPLAY_PATH;
    if (!replay && url.pathname !== WS_PATH) return refuse(socket, 404, 'Not Found');
    if (!hostAllowed(p, req)) return refuse(socket, 403, 'Forbidden');
    // A browser always sends Origin on a WebSocket, so a missing one is a strategy process, not a
    // page another site opened; /replay serves those, the contract socket only the renderer.
    const originless = replay && req.headers.origin === undefined;
    if (!originless && !originAllowed(p, req)) return refuse(socket, 403, 'Forbidden');
    const authorized = authenticate(p, req, url) !== null;
    if (replay) {
      if (!authorized) return refuse(socket, 401, 'Unauthorized');
      replayWss.handleUpgrade(req, socket, head, (ws) =>
        attachReplayFeed(ws, url.searchParams, { readPage, log: o.log }),
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      // A browser sees only code 1006 for a refused upgrade; 4401 tells the page that the token
      // is wrong so it stops retrying. The socket is closed before it reaches the service. Our
      // subprotocol is echoed either way, or the browser would fail the handshake with 1006.
      if (!authorized) ws.close(WS_CLOSE_UNAUTHORIZED, 'token missing or wrong');
      else wss.emit('connection', ws, req);
    });
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  policy = createAccessPolicy(o.token, o.host, port);
  const urlHost =
    o.host === '0.0.0.0' || o.host === '::' ? '127.0.0.1' : o.host.includes(':') ? `[${o.host}]` : o.host;

  return {
    port,
    url: `http://${urlHost}:${port}/?token=${o.token}`,
    async close() {
      for (const ws of [...wss.clients, ...replayWss.clients]) ws.close(1001, 'server shutting down');
      // A client that does not read never answers the close; do not wait ws's 30 s for it.
      const cutOff = setTimeout(() => {
        for (const ws of [...wss.clients, ...replayWss.clients]) ws.terminate();
      }, CLOSE_GRACE_MS);
      wss.close();
      replayWss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      clearTimeout(cutOff);
    },
  };
}

function setSecurityHeaders(res: ServerResponse, csp: string): void {
  res.setHeader('Content-Security-Policy', csp);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(`${text}\n`);
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}
