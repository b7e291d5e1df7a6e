// Against the real server and a real browser: the token, Host and Origin checks.
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { WebSocket } from 'ws';
import { WS_PATH } from '../../shared/ipc/wire.ts';
import { launchBrowser, startServe } from './harness.ts';
import type { ServeHandle } from './harness.ts';

let dataDir: string;
let serve: ServeHandle;
let browser: Browser;

before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tickscope-e2e-access-'));
  [serve, browser] = await Promise.all([
    startServe({ dataDir, extraArgs: ['--feed', 'none'] }),
    launchBrowser(),
  ]);
});

after(async () => {
  await browser?.close();
  await serve?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

function rawGet(pathAndQuery: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const r = http.request(
      { host: '127.0.0.1', port: serve.port, path: pathAndQuery, headers: { host } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    r.on('error', reject);
    r.end();
  });
}

function wsOutcome(query: string, origin: string): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${serve.port}${WS_PATH}${query}`, { headers: { origin } });
    ws.on('unexpected-response', (_req, res) => resolve(`http ${res.statusCode}`));
    ws.on('close', (code) => resolve(`closed ${code}`));
    ws.on('error', () => {});
  });
}

test('the printed URL opens the app; without the token or with a wrong one the browser gets 401', async () => {
  const page = await browser.newPage();
  assert.equal((await page.goto(`${serve.origin}/`))?.status(), 401);
  assert.equal((await page.goto(`${serve.origin}/?token=${'0'.repeat(64)}`))?.status(), 401);
  assert.equal((await page.goto(`${serve.origin}/index.html`))?.status(), 401);
  const ok = await page.goto(serve.url);
  assert.equal(ok?.status(), 200);
  const headers = ok?.headers() ?? {};
  assert.match(headers['content-security-policy'] ?? '', /default-src 'self'/);
  assert.equal(headers['x-content-type-options'], 'nosniff');
  assert.equal(headers['referrer-policy'], 'no-referrer');
  // The header CSP is the page's meta CSP word for word, plus frame-ancestors, which only a
  // header can carry.
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.ok(meta, 'the page has no CSP meta tag');
  assert.equal(headers['content-security-policy'], `${meta.trim()}; frame-ancestors 'none'`);
  await page.close();
});

test('a page of another origin cannot use the WebSocket, even knowing the token', async () => {
  assert.equal(await wsOutcome(`?token=${serve.token}`, 'http://evil.example'), 'http 403');
  assert.equal(await wsOutcome(`?token=${serve.token}`, `http://127.0.0.1:${serve.port + 1}`), 'http 403');
});

test('a WebSocket without or with a wrong token is refused', async () => {
  assert.equal(await wsOutcome('', serve.origin), 'closed 4401');
  assert.equal(await wsOutcome('?token=nope', serve.origin), 'closed 4401');
});

test('a foreign Host header (DNS rebinding) gets 403', async () => {
  assert.equal(await rawGet(`/?token=${serve.token}`, `rebind.example:${serve.port}`), 403);
  assert.equal(await rawGet(`/?token=${serve.token}`, `127.0.0.1:${serve.port}`), 200);
  assert.equal(await rawGet(`/?token=${serve.token}`, `localhost:${serve.port}`), 200);
});
