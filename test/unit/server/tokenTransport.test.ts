// How the page proves it holds the token without putting it in a URL: the WebSocket carries it
// as a subprotocol entry, the access check as a Bearer header; and no log line repeats it.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import type { TickscopeService } from '../../../electron/app/tickscopeService.ts';
import * as server from '../../../electron/server/accessControl.ts';
import { WS_CLOSE_UNAUTHORIZED, startHttpServer } from '../../../electron/server/httpServer.ts';
import type { RunningServer } from '../../../electron/server/httpServer.ts';
import * as page from '../../../renderer/transport/wsUrl.ts';

const TOKEN = 'Tok3n_for-the-transport-test';
let dir: string;
let running: RunningServer;
let origin: string;
const logs: string[] = [];

const echoService = {
  connect() {
    return {
      id: 1,
      dispatch: async (channel: unknown) => ({ ok: true, value: { channel } }),
      close() {},
    };
  },
} as unknown as TickscopeService;

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tickscope-token-'));
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
  running = await startHttpServer({
    service: echoService,
    rendererDir: dir,
    csp: "default-src 'self'",
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    log: (m) => logs.push(m),
  });
  origin = `http://127.0.0.1:${running.port}`;
});

after(async () => {
  await running.close();
  await rm(dir, { recursive: true, force: true });
});

/** Opens a socket as the page does; resolves with what happened first. */
function connect(
  protocols: string[],
  query = '',
): Promise<{ outcome: string; protocol: string; reply?: unknown }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${running.port}/ws${query}`, protocols, { headers: { origin } });
    let protocol = '';
    ws.on('open', () => {
      protocol = ws.protocol;
      ws.send(JSON.stringify({ id: 1, channel: 'storage.health', input: {} }));
    });
    ws.on('message', (d) => {
      resolve({ outcome: 'reply', protocol, reply: JSON.parse(d.toString()) });
      ws.close();
    });
    ws.on('unexpected-response', (_req, res) => resolve({ outcome: `http ${res.statusCode}`, protocol }));
    ws.on('close', (code) => resolve({ outcome: `closed ${code}`, protocol }));
    ws.on('error', (err) => resolve({ outcome: `error ${err.message}`, protocol }));
  });
}

test('a token in the subprotocol list opens the socket; only "tickscope" is echoed', async () => {
  const r = await connect(page.wsProtocols(TOKEN));
  assert.equal(r.outcome, 'reply');
  assert.equal(r.protocol, 'tickscope');
  assert.deepEqual(r.reply, { id: 1, result: { ok: true, value: { channel: 'storage.health' } } });
});

test('a wrong token still completes the handshake, so the page sees 4401 rather than 1006', async () => {
  const r = await connect(page.wsProtocols('wrong-token-0000'));
  assert.equal(r.outcome, `closed ${WS_CLOSE_UNAUTHORIZED}`);
  assert.equal(r.protocol, 'tickscope');
  assert.equal((await connect(['tickscope'])).outcome, `closed ${WS_CLOSE_UNAUTHORIZED}`);
});

test('tools may still put the token in the socket URL', async () => {
  assert.equal((await connect([], `?token=${TOKEN}`)).outcome, 'reply');
});

function get(target: string, headers: Record<string, string> = {}): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const r = http.request(
      {
        host: '127.0.0.1',
        port: running.port,
        path: target,
        headers: { host: `127.0.0.1:${running.port}`, ...headers },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res));
      },
    );
    r.on('error', reject);
    r.end();
  });
}

test('the access check answers 204 to any valid credential and 401 to none or a stale one', async () => {
  const bearer = await get(server.ACCESS_CHECK_PATH, { authorization: `Bearer ${TOKEN}` });
  assert.equal(bearer.statusCode, 204);
  assert.equal(bearer.headers['cache-control'], 'no-store');
  assert.equal(bearer.headers['set-cookie'], undefined, 'a header token sets no cookie');
  const cookie = `tickscope_token_${running.port}=${TOKEN}`;
  assert.equal((await get(server.ACCESS_CHECK_PATH, { cookie })).statusCode, 204);
  assert.equal((await get(`${server.ACCESS_CHECK_PATH}?token=${TOKEN}`)).statusCode, 204);
  assert.equal((await get(server.ACCESS_CHECK_PATH)).statusCode, 401);
  assert.equal(
    (await get(server.ACCESS_CHECK_PATH, { authorization: 'Bearer an-old-token-from-before' })).statusCode,
    401,
  );
});

/** Writes a raw request (one Node's client would refuse to send) and returns the status line. */
function rawRequest(lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = net.connect(running.port, '127.0.0.1', () => c.write(`${lines.join('\r\n')}\r\n\r\n`));
    let got = '';
    c.on('data', (d) => (got += d.toString()));
    c.on('end', () => resolve(got.split('\r\n')[0]));
    c.on('close', () => resolve(got.split('\r\n')[0]));
    c.on('error', reject);
    setTimeout(() => c.end(), 500);
  });
}

test('a request target that is no URL: 500 for a page, 400 for an upgrade, and the token is not logged', async () => {
  const host = `Host: 127.0.0.1:${running.port}`;
  assert.equal(
    await rawRequest([`GET //[bad?token=${TOKEN} HTTP/1.1`, host, 'Connection: close']),
    'HTTP/1.1 500 Internal Server Error',
  );
  const upgrade = await rawRequest([
    `GET //[bad?token=${TOKEN} HTTP/1.1`,
    host,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
  ]);
  assert.equal(upgrade, 'HTTP/1.1 400 Bad Request');
  assert.equal((await connect(page.wsProtocols(TOKEN))).outcome, 'reply', 'and the server still serves');
  assert.ok(
    logs.some((l) => l.includes('//[bad?token=…')),
    `the failure is logged: ${JSON.stringify(logs)}`,
  );
});

test('no log line of the whole run holds the token', () => {
  assert.ok(logs.length > 0);
  for (const line of logs) assert.ok(!line.includes(TOKEN), line);
});
