// The app:// handler against real files in a temporary renderer folder, with a secret file next
// to (outside) that folder that no URL may reach.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  APP_CUSTOM_SCHEME,
  INDEX_URL,
  createAppProtocolHandler,
} from '../../../electron/shell/appProtocol.ts';
import type { AppProtocolHandler } from '../../../electron/shell/appProtocol.ts';

const CSP = "default-src 'self'; script-src 'self'; frame-ancestors 'none'";
let base: string;
let root: string;
let handle: AppProtocolHandler;

before(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'tickscope-app-protocol-'));
  root = path.join(base, 'renderer');
  await mkdir(path.join(root, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>t</title>');
  await writeFile(path.join(root, 'assets', 'app-1.js'), 'console.log(1)');
  await writeFile(path.join(root, 'assets', 'app-1.css'), 'body{}');
  await writeFile(path.join(root, 'assets', 'logo.PNG'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  await writeFile(path.join(root, 'assets', 'data.bin'), 'raw');
  await writeFile(path.join(base, 'secret.txt'), 'secret');
  await mkdir(path.join(base, 'renderer-evil'));
  await writeFile(path.join(base, 'renderer-evil', 'index.html'), 'secret');
  handle = createAppProtocolHandler({ root, csp: CSP });
});

after(async () => {
  await rm(base, { recursive: true, force: true });
});

const get = (url: string, method = 'GET') => handle({ url, method });

test('the scheme is registered standard and secure, and is not given CSP bypass or CORS', () => {
  assert.equal(APP_CUSTOM_SCHEME.scheme, 'app');
  assert.equal(APP_CUSTOM_SCHEME.privileges?.standard, true);
  assert.equal(APP_CUSTOM_SCHEME.privileges?.secure, true);
  assert.notEqual(APP_CUSTOM_SCHEME.privileges?.bypassCSP, true);
  assert.notEqual(APP_CUSTOM_SCHEME.privileges?.corsEnabled, true);
  assert.notEqual(APP_CUSTOM_SCHEME.privileges?.allowServiceWorkers, true);
  assert.equal(INDEX_URL, 'app://tickscope/index.html');
});

test('index.html is served with its type, the CSP header and no caching', async () => {
  for (const url of [INDEX_URL, 'app://tickscope/']) {
    const r = await get(url);
    assert.equal(r.status, 200, url);
    assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(r.headers.get('content-security-policy'), CSP);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.equal(await r.text(), '<!doctype html><title>t</title>');
  }
});

test('assets get their MIME types (case-insensitive extension), unknown ones octet-stream', async () => {
  const cases: Array<[string, string]> = [
    ['assets/app-1.js', 'text/javascript; charset=utf-8'],
    ['assets/app-1.css', 'text/css; charset=utf-8'],
    ['assets/logo.PNG', 'image/png'],
    ['assets/data.bin', 'application/octet-stream'],
  ];
  for (const [p, type] of cases) {
    const r = await get(`app://tickscope/${p}`);
    assert.equal(r.status, 200, p);
    assert.equal(r.headers.get('content-type'), type, p);
    assert.equal(r.headers.get('content-security-policy'), CSP, p);
    assert.equal(r.headers.get('cache-control'), 'no-cache', p);
  }
  const js = await get('app://tickscope/assets/app-1.js');
  assert.equal(await js.text(), 'console.log(1)');
  assert.equal(js.headers.get('content-length'), String('console.log(1)'.length));
});

test('no way out of the renderer folder: traversal, encoded dots and slashes, NUL, backslashes', async () => {
  for (const p of [
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/.%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/..%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/%2e%2e%5csecret.txt',
    '/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
    '/..%2frenderer-evil%2findex.html',
    '/index.html%00.js',
    '/%E0%A4%A',
    '/%2e%2e/%2e%2e/%2e%2e/secret.txt',
  ]) {
    const r = await get(`app://tickscope${p}`);
    assert.equal(r.status, 404, p);
    const body = await r.text();
    assert.doesNotMatch(body, /secret/, p);
    assert.equal(r.headers.get('content-security-policy'), CSP, p);
  }
});

test('dot segments that stay inside the folder resolve inside it', async () => {
  const r = await get('app://tickscope/assets/%2e%2e/index.html');
  assert.equal(r.status, 200);
  assert.equal(await r.text(), '<!doctype html><title>t</title>');
});

test('directories and missing files are 404s, never a listing', async () => {
  for (const p of ['/assets', '/assets/', '/missing.js', '/assets/missing.css']) {
    const r = await get(`app://tickscope${p}`);
    assert.equal(r.status, 404, p);
    assert.equal(await r.text(), 'not found\n', p);
    assert.equal(r.headers.get('content-type'), 'text/plain; charset=utf-8', p);
  }
});

test('only our own origin: other hosts, schemes and malformed URLs are 404s', async () => {
  for (const url of [
    'app://evil/index.html',
    'app://tickscope.evil/index.html',
    'app://tickscope:8080/index.html',
    'file:///etc/passwd',
    `file://${path.join(root, 'index.html')}`,
    'https://tickscope/index.html',
    'not a url',
  ]) {
    assert.equal((await get(url)).status, 404, url);
  }
});

test('HEAD has the headers and no body; other methods are refused with 405', async () => {
  const head = await get(INDEX_URL, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(await head.text(), '');
  for (const method of ['POST', 'PUT', 'DELETE']) {
    const r = await get(INDEX_URL, method);
    assert.equal(r.status, 405, method);
    assert.equal(r.headers.get('allow'), 'GET, HEAD');
  }
});

test('a file that cannot be read is a 404, not a crash', async () => {
  const failing = createAppProtocolHandler({
    root,
    csp: CSP,
    fs: {
      stat: async () => ({ isFile: () => true }),
      readFile: async () => {
        throw new Error('EIO: i/o error');
      },
    },
  });
  assert.equal((await failing({ url: INDEX_URL, method: 'GET' })).status, 404);
});
