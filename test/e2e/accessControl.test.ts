// Against the real server and a real browser: the token, Host and Origin checks; the token kept
// out of every URL the browser logs; the page saying plainly when a restart changed the token.
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { WebSocket } from 'ws';
import { WS_PATH } from '../../shared/ipc/wire.ts';
import { artifactPath, launchBrowser, startServe } from './harness.ts';
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

/** What the page logs and which socket URLs it opens, for checks that the token is in none. */
function watch(page: Page) {
  const seen = { errors: [] as string[], console: [] as string[], sockets: [] as string[] };
  page.on('console', (m) => {
    seen.console.push(m.text());
    if (m.type() === 'error') seen.errors.push(m.text());
  });
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  page.on('websocket', (ws) => seen.sockets.push(ws.url()));
  return seen;
}

const connected = (page: Page) =>
  page.waitForFunction(
    () => {
      const { document } = globalThis as unknown as {
        document: { querySelector(s: string): { getAttribute(a: string): string | null } | null };
      };
      const pill = document.querySelector('[data-testid="health-status"]');
      return (
        pill !== null && pill.getAttribute('data-status') !== 'offline' && !document.querySelector('.banner')
      );
    },
    undefined,
    { timeout: 15_000 },
  );

test('the token leaves the address bar and never rides in the socket URL; no console error on load', async () => {
  const page = await browser.newPage();
  const seen = watch(page);
  await page.goto(serve.url);
  await connected(page);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('token'), null, `the address bar still has it: ${page.url()}`);
  assert.equal(await page.evaluate(() => globalThis.sessionStorage.getItem('tickscope.token')), serve.token);
  assert.ok(seen.sockets.length > 0, 'the page opened its WebSocket');
  for (const u of seen.sockets) assert.ok(!u.includes(serve.token), `socket URL carries the token: ${u}`);
  assert.deepEqual(seen.errors, [], 'console errors on load');

  // A reload of the tab (no token in the URL any more) finds it again and connects.
  await page.reload();
  await connected(page);
  assert.equal(new URL(page.url()).searchParams.get('token'), null);
  for (const line of [...seen.console, ...seen.sockets]) assert.ok(!line.includes(serve.token), line);
  assert.deepEqual(seen.errors, []);
  await page.close();
});

test('after serve restarts with a new token the page says so; while it is down it says reconnecting', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tickscope-e2e-restart-'));
  const first = await startServe({ dataDir: dir, extraArgs: ['--feed', 'none', '--token', 'a'.repeat(32)] });
  let second: ServeHandle | undefined;
  const page = await browser.newPage();
  try {
    const seen = watch(page);
    await page.goto(first.url);
    await connected(page);
    await first.stop();
    const banner = page.getByTestId('connection-banner');
    await banner.waitFor({ timeout: 10_000 });
    assert.match((await banner.getAttribute('data-state')) ?? '', /^(connecting|disconnected)$/);
    assert.equal(await page.getByTestId('token-refused').count(), 0, 'a server that is down is no new token');

    second = await startServe({
      dataDir: dir,
      extraArgs: ['--feed', 'none', '--port', String(first.port), '--token', 'b'.repeat(32)],
    });
    const refused = page.getByTestId('token-refused');
    await refused.waitFor({ timeout: 30_000 });
    const text = (await refused.textContent()) ?? '';
    assert.match(text, /restarted with a new access token/);
    assert.ok(text.includes(`http://127.0.0.1:${first.port}/?token=…`), text);
    assert.ok(!text.includes(first.token) && !text.includes(second.token), 'no token value is shown');
    assert.equal(await page.getByText('Nothing is being recorded').count(), 0, 'no view pretends to know');
    await page.screenshot({ path: await artifactPath('token-refused.png') });
    for (const line of [...seen.console, ...seen.sockets]) {
      assert.ok(!line.includes(first.token) && !line.includes(second.token), `logged with a token: ${line}`);
    }
    // Serve prints its URL with the token once, on purpose; no other line of its output has it.
    for (const s of [first, second]) {
      const { stdout, stderr } = s.output();
      const withToken = `${stdout}\n${stderr}`.split('\n').filter((l) => l.includes(s.token));
      assert.deepEqual(withToken, [`Tickscope is serving at ${s.url}`]);
    }
  } finally {
    await page.close();
    await first.stop();
    await second?.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
