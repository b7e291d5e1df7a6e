// The desktop app's /metrics: the same Prometheus text as `serve`, on 127.0.0.1 only, behind a
// token kept in a file readable by its owner only (0600), so Prometheus can read it with
// `authorization: {credentials_file: ...}`. The token is kept across starts while the file holds
// one, so the scrape configuration keeps working after a restart.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { METRICS_PATH, answerMetrics, refuseMetrics } from './metricsResponse.ts';
import type { MetricsSource } from './metricsResponse.ts';

export const METRICS_TOKEN_FILE = 'metrics-token';
const TOKEN_SHAPE = /^[0-9a-f]{64}$/;

export interface MetricsServerOptions {
  service: MetricsSource;
  /** 0 for any free port. */
  port: number;
  tokenFile: string;
}

export interface MetricsServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** The token in the file, or a new one written there; the file is made 0600 either way. */
export async function metricsToken(file: string): Promise<string> {
  const kept = await readFile(file, 'utf8').then(
    (t) => t.trim(),
    () => '',
  );
  if (TOKEN_SHAPE.test(kept)) {
    await chmod(file, 0o600);
    return kept;
  }
  const token = randomBytes(32).toString('hex');
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  // The mode above applies only to a file created now; an existing one (damaged) keeps its own.
  await chmod(file, 0o600);
  return token;
}

function presented(req: IncomingMessage, url: URL): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m ? m[1] : url.searchParams.get('token');
}

function sameToken(a: string | null, b: string): boolean {
  if (a === null) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startMetricsServer(o: MetricsServerOptions): Promise<MetricsServer> {
  const token = await metricsToken(o.tokenFile);
  let hosts = new Set<string>();
  const server = http.createServer((req, res) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // Against DNS rebinding: a page elsewhere cannot name this port through its own host name.
    if (!hosts.has((req.headers.host ?? '').toLowerCase())) {
      res.statusCode = 403;
      res.end('forbidden: unexpected Host header\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== METRICS_PATH) {
      res.statusCode = 404;
      res.end('not found: only /metrics is served here\n');
      return;
    }
    if (!sameToken(presented(req, url), token)) {
      return refuseMetrics(res, `send the token in ${o.tokenFile} as \`Authorization: Bearer <token>\``);
    }
    try {
      answerMetrics(o.service, req.method, res);
    } catch (err) {
      res.statusCode = 500;
      res.end(`metrics unavailable: ${(err as Error).message}\n`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  return {
    port,
    url: `http://127.0.0.1:${port}${METRICS_PATH}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
