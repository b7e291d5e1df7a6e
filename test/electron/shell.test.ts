// The Electron shell, driven by Playwright's Electron support. Runs only where the Electron
// binary was downloaded (`require('electron')` names a file that exists); otherwise says why.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { _electron } from 'playwright-core';
import { REQUEST_CHANNELS } from '../../shared/ipc/contract.ts';
import { ROOT } from '../e2e/harness.ts';
import { openTickStore } from '../../electron/engine/tickStore.ts';
import { readRendererCsp } from '../../electron/app/rendererCsp.ts';

// Not `require('electron')`: when the binary is missing, that tries to download it.
function electronBinary(): { path: string | null; why: string } {
  let pkgDir: string;
  try {
    pkgDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch (err) {
    return {
      path: null,
      why: `the electron package is not installed (${(err as Error).message.split('\n')[0]})`,
    };
  }
  const pathFile = path.join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      path: null,
      why: `${path.relative(ROOT, pathFile)} is missing: the binary was never downloaded`,
    };
  }
  const exe = path.join(
    process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(pkgDir, 'dist'),
    readFileSync(pathFile, 'utf8'),
  );
  return existsSync(exe) ? { path: exe, why: '' } : { path: null, why: `${exe} does not exist` };
}

test('Electron shell: hardened window, bridge only, flush on quit', async (t) => {
  const bin = electronBinary();
  if (!bin.path) {
    const why = `Electron binary not downloadable here: ${bin.why}`;
    console.log(`skipping the Electron shell test. ${why}`);
    t.skip(why);
    return;
  }
  const built = spawnSync(process.execPath, ['--run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  assert.equal(built.status, 0, 'npm run build failed');
  const userData = await mkdtemp(path.join(os.tmpdir(), 'tickscope-electron-'));
  try {
    const app = await _electron.launch({
      executablePath: bin.path,
      args: [path.join(ROOT, 'dist/electron/main.js'), `--user-data-dir=${userData}`],
      cwd: ROOT,
    });
    const page = await app.firstWindow();
    await page.waitForSelector('[data-testid^="watchlist-row-"]', { timeout: 15_000 });

    const surface = await page.evaluate(() => {
      const w = globalThis as unknown as { tickscope: { requests: object; subscribe: unknown } };
      return {
        keys: Object.keys(w.tickscope).sort(),
        requests: Object.keys(w.tickscope.requests).sort(),
        process: typeof (globalThis as { process?: unknown }).process,
        require: typeof (globalThis as { require?: unknown }).require,
      };
    });
    assert.deepEqual(surface.keys, ['requests', 'subscribe']);
    assert.deepEqual(surface.requests, [...REQUEST_CHANNELS].sort());
    assert.equal(surface.process, 'undefined');
    assert.equal(surface.require, 'undefined');

    // The live window's preferences as Electron applied them. getLastWebPreferences is in
    // Electron's API but not its typings; if a release drops it, this fails and says so.
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const wc = BrowserWindow.getAllWindows()[0].webContents as unknown as {
        getLastWebPreferences?: () => Record<string, unknown> | null;
      };
      if (typeof wc.getLastWebPreferences !== 'function') return 'getLastWebPreferences is gone';
      const p = wc.getLastWebPreferences();
      return (
        p && {
          contextIsolation: p.contextIsolation,
          sandbox: p.sandbox,
          nodeIntegration: p.nodeIntegration,
          webSecurity: p.webSecurity,
          webviewTag: p.webviewTag,
        }
      );
    });
    assert.deepEqual(prefs, {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    });
    // Context isolation and the sandbox, seen from the page: no way to Electron's ipcRenderer.
    const isolated = await page.evaluate(() => {
      const w = globalThis as unknown as { tickscope: Record<string, unknown>; ipcRenderer?: unknown };
      return w.ipcRenderer === undefined && !('invoke' in w.tickscope);
    });
    assert.equal(isolated, true);

    // The CSP on the live page: sent as a header on app://, with frame-ancestors (which only a
    // header can carry), and enforced: no eval, no inline script.
    const csp = await page.evaluate(async () => {
      // The page's DOM, typed here because the tests compile without the DOM library.
      const g = globalThis as unknown as {
        location: { href: string };
        document: {
          createElement(tag: 'script'): { textContent: string };
          head: { append(node: unknown): void };
        };
        __inlineRan?: boolean;
      };
      const header = (await fetch(g.location.href)).headers.get('content-security-policy');
      let evalBlocked = false;
      try {
        (0, eval)('1');
      } catch {
        evalBlocked = true;
      }
      const s = g.document.createElement('script');
      s.textContent = 'globalThis.__inlineRan = true';
      g.document.head.append(s);
      return { header, evalBlocked, inlineRan: g.__inlineRan === true };
    });
    const expected = (await readRendererCsp(path.join(ROOT, 'dist/renderer/index.html'))).csp;
    assert.equal(csp.header, expected);
    assert.match(expected, /frame-ancestors 'none'/);
    assert.deepEqual(
      { evalBlocked: csp.evalBlocked, inlineRan: csp.inlineRan },
      { evalBlocked: true, inlineRan: false },
    );
    assert.equal(page.url(), 'app://tickscope/index.html');

    // Let the demo feed record, then quit: everything received must be on disk afterwards.
    await page.waitForTimeout(2000);
    const storedBeforeQuit = await page.evaluate(async () => {
      type Stats = { ok: true; value: { ticks_stored: number } };
      const w = globalThis as unknown as {
        tickscope: { requests: Record<string, (i: object) => Promise<Stats>> };
      };
      return (await w.tickscope.requests['storage.stats']({})).value.ticks_stored;
    });
    assert.ok(storedBeforeQuit > 0, 'the demo feed recorded nothing');
    const exited = new Promise<number | null>((resolve) =>
      app.process().once('exit', (code) => resolve(code)),
    );
    await app.evaluate(({ app: a }) => a.quit());
    await app.waitForEvent('close', { timeout: 30_000 });
    assert.equal(await exited, 0, 'the app did not exit cleanly');
    const store = await openTickStore({ dataDir: path.join(userData, 'data') });
    try {
      const symbols = await store.listSymbols();
      const total = symbols.reduce((n: number, s: { count: number }) => n + s.count, 0);
      assert.ok(
        total >= storedBeforeQuit,
        `${total} ticks on disk, ${storedBeforeQuit} accepted before quit`,
      );
    } finally {
      await store.stop();
    }
  } finally {
    await rm(userData, { recursive: true, force: true });
  }
});
