// The headless server's HTTP and WebSocket gatekeeping, against a stand-in service (the real
// service is exercised end to end in test/e2e).
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import type { TickscopeService } from '../../../electron/app/tickscopeService.ts';
import { MAX_WS_FRAME_BYTES, startHttpServer } from '../../../electron/server/httpServer.ts';
import type { RunningServer } from '../../../electron/server/httpServer.ts';

const TOKEN = 'a1'.repeat(32);
const CSP = "default-src 'self'; script-src 'self'";
let dir: string;
let server: RunningServer;
let base: string;

const fakeService = {
  connect(subscriber: { send(e: string, p: unknown): void }) {
    setTimeout(() => subscriber.send('recording.status', { recording: false }), 10);
    return {
      id: 1,
      dispatch: async (channel: unknown, input: unknown) => ({ ok: true, value: { channel, input } }),
      close() {},
    };
  },
} as unknown as TickscopeService;

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tickscope-http-'));
  await mkdir(path.join(dir, 'assets'));
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
  await writeFile(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(path.join(dir, 'assets', 'app.css'), 'body{}');
  await writeFile(path.join(os.tmpdir(), 'tickscope-secret.txt'), 'secret');
  server = await startHttpServer({
    service: fakeService,
    rendererDir: dir,
    csp: CSP,
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    log: () => {},
  });
  base = `http://127.0.0.1:${server.port}`;
});

after(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
  await rm(path.join(os.tmpdir(), 'tickscope-secret.txt'), { force: true });
});

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(rawPath: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const r = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        path: rawPath,
        headers: { host: `127.0.0.1:${server.port}`, ...headers },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    r.on('error', reject);
    r.end();
  });
}

const cookieOf = (r: Reply) => String(r.headers['set-cookie']?.[0] ?? '').split(';')[0];

test('printed URL carries the token', () => {
  assert.equal(server.url, `${base}/?token=${TOKEN}`);
});

test('no token or a wrong token: 401, with the security headers', async () => {
  for (const p of ['/', '/assets/app.js', '/?token=wrong']) {
    const r = await get(p);
    assert.equal(r.status, 401, p);
    assert.equal(r.headers['content-security-policy'], CSP);
  }
});

test('token in the query serves the page and sets an HttpOnly SameSite=Strict cookie', async () => {
  const r = await get(`/?token=${TOKEN}`);
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(r.headers['content-security-policy'], CSP);
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
  assert.equal(r.headers['referrer-policy'], 'no-referrer');
  const setCookie = String(r.headers['set-cookie']);
  assert.match(setCookie, new RegExp(`tickscope_token_${server.port}=${TOKEN}`));
  assert.match(setCookie, /HttpOnly/);
  assert.match(setCookie, /SameSite=Strict/);
});

test('the cookie alone serves assets with their content types', async () => {
  const cookie = cookieOf(await get(`/?token=${TOKEN}`));
  const js = await get('/assets/app.js', { cookie });
  assert.equal(js.status, 200);
  assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(js.body, 'console.log(1)');
  assert.equal((await get('/assets/app.css', { cookie })).headers['content-type'], 'text/css; charset=utf-8');
});

test('foreign Host header: 403 even with the token', async () => {
  const r = await get(`/?token=${TOKEN}`, { host: 'attacker.example:80' });
  assert.equal(r.status, 403);
});

test('no directory listing, no traversal, no other methods', async () => {
  const cookie = cookieOf(await get(`/?token=${TOKEN}`));
  assert.equal((await get('/assets/', { cookie })).status, 404);
  assert.equal((await get('/assets', { cookie })).status, 404);
  for (const p of [
    '/../tickscope-secret.txt',
    '/%2e%2e/tickscope-secret.txt',
    '/assets/..%2f..%2ftickscope-secret.txt',
  ]) {
    const r = await get(p, { cookie });
    assert.equal(r.status, 404, p);
    assert.doesNotMatch(r.body, /secret/);
  }
  const post = await new Promise<number>((resolve) => {
    const r = http.request(
      { host: '127.0.0.1', port: server.port, path: `/?token=${TOKEN}`, method: 'POST' },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    r.end();
  });
  assert.equal(post, 405);
});

function openWs(query: string, headers: Record<string, string>): WebSocket {
  return new WebSocket(`ws://127.0.0.1:${server.port}/ws${query}`, {
    headers,
    maxPayload: 4 * MAX_WS_FRAME_BYTES,
  });
}

const ownOrigin = () => ({ origin: base });

function refusedStatus(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => resolve(101));
    ws.on('error', () => {});
  });
}

function closeCode(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    ws.on('close', (code) => resolve(code));
    ws.on('error', () => {});
  });
}

test('WebSocket with a foreign Origin is refused (403), even with the token', async () => {
  assert.equal(await refusedStatus(openWs(`?token=${TOKEN}`, { origin: 'http://evil.example' })), 403);
  assert.equal(await refusedStatus(openWs(`?token=${TOKEN}`, {})), 403);
});

test('WebSocket without or with a wrong token is closed with 4401 and never answered', async () => {
  for (const q of ['', '?token=wrong']) {
    const ws = openWs(q, ownOrigin());
    let answered = false;
    ws.on('message', () => (answered = true));
    ws.on('open', () => ws.send(JSON.stringify({ id: 1, channel: 'storage.stats', input: {} })));
    assert.equal(await closeCode(ws), 4401, q);
    assert.equal(answered, false);
  }
});

test('WebSocket with the token (query or cookie) carries requests and events', async () => {
  const cookie = cookieOf(await get(`/?token=${TOKEN}`));
  for (const [q, h] of [
    [`?token=${TOKEN}`, ownOrigin()],
    ['', { ...ownOrigin(), cookie }],
  ] as const) {
    const ws = openWs(q, h);
    const frames: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.on('error', reject);
      ws.on('message', (d) => {
        frames.push(JSON.parse(d.toString()));
        if (frames.length === 2) resolve();
      });
      ws.on('open', () => ws.send(JSON.stringify({ id: 7, channel: 'storage.stats', input: {} })));
    });
    assert.deepEqual(
      frames.find((f) => (f as { id?: number }).id === 7),
      { id: 7, result: { ok: true, value: { channel: 'storage.stats', input: {} } } },
    );
    assert.ok(frames.some((f) => (f as { event?: string }).event === 'recording.status'));
    ws.close();
  }
});

test('oversized or malformed frames close the socket', async () => {
  const big = openWs(`?token=${TOKEN}`, ownOrigin());
  big.on('open', () => big.send('x'.repeat(MAX_WS_FRAME_BYTES + 1)));
  assert.equal(await closeCode(big), 1009);
  const bad = openWs(`?token=${TOKEN}`, ownOrigin());
  bad.on('open', () => bad.send('not json'));
  assert.equal(await closeCode(bad), 1003);
});
