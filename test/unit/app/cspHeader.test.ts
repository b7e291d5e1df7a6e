// The CSP header both shells send: the page's meta policy, plus frame-ancestors, which only a
// header can carry (browsers ignore it in a meta tag).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  FALLBACK_CSP,
  cspForHeader,
  extractMetaCsp,
  readRendererCsp,
} from '../../../electron/app/rendererCsp.ts';

test('a policy without frame-ancestors gets frame-ancestors none in the header', () => {
  assert.equal(
    cspForHeader("default-src 'self'; script-src 'self'"),
    "default-src 'self'; script-src 'self'; frame-ancestors 'none'",
  );
  assert.equal(cspForHeader("default-src 'self'; "), "default-src 'self'; frame-ancestors 'none'");
});

test('a policy that names frame-ancestors keeps its own, word for word', () => {
  const csp = "default-src 'self'; frame-ancestors 'self'";
  assert.equal(cspForHeader(`  ${csp} `), csp);
  assert.equal(
    cspForHeader("FRAME-ANCESTORS 'none'; default-src 'self'"),
    "FRAME-ANCESTORS 'none'; default-src 'self'",
  );
});

test('a directive that merely contains the name does not count', () => {
  assert.match(
    cspForHeader("default-src 'self' https://frame-ancestors.example"),
    /; frame-ancestors 'none'$/,
  );
});

test('readRendererCsp returns the header form, or the fallback when the page has no meta CSP', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tickscope-csp-'));
  try {
    const withMeta = path.join(dir, 'a.html');
    await writeFile(
      withMeta,
      `<meta http-equiv="Content-Security-Policy" content="default-src 'self'; object-src 'none'">`,
    );
    assert.deepEqual(await readRendererCsp(withMeta), {
      csp: "default-src 'self'; object-src 'none'; frame-ancestors 'none'",
      fromMeta: true,
    });
    const without = path.join(dir, 'b.html');
    await writeFile(without, '<title>x</title>');
    assert.deepEqual(await readRendererCsp(without), { csp: FALLBACK_CSP, fromMeta: false });
    assert.match(FALLBACK_CSP, /frame-ancestors 'none'/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("the page's own meta policy leaves frame-ancestors to the header, which always has it", async () => {
  const indexHtml = new URL('../../../renderer/index.html', import.meta.url);
  const { readFile } = await import('node:fs/promises');
  const meta = extractMetaCsp(await readFile(indexHtml, 'utf8'));
  assert.ok(meta, 'renderer/index.html has no CSP meta tag');
  // Chromium ignores frame-ancestors in a meta tag and logs an error on every load.
  assert.doesNotMatch(meta, /frame-ancestors/);
  assert.match(meta, /script-src 'self'/);
  assert.doesNotMatch(meta, /unsafe-inline|unsafe-eval/);
  const { csp, fromMeta } = await readRendererCsp(indexHtml.pathname);
  assert.equal(fromMeta, true);
  assert.equal(csp, `${meta}; frame-ancestors 'none'`);
});
