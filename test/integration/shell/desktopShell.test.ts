// The desktop shell over the real service and engine (Electron itself faked): every contract
// channel validates what the window sends, and quitting flushes every recorded tick to disk.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { REQUEST_CHANNELS } from '../../../shared/ipc/contract.ts';
import type { IpcResult } from '../../../shared/ipc/result.ts';
import type { StorageStats } from '../../../shared/stats.ts';
import { ELECTRON_REQUEST_PREFIX } from '../../../shared/ipc/wire.ts';
import { openTickStore } from '../../../electron/engine/tickStore.ts';
import { INDEX_URL } from '../../../electron/shell/appProtocol.ts';
import { runDesktopShell } from '../../../electron/shell/desktopShell.ts';
import { ROOT } from '../../e2e/harness.ts';
import { fakeElectron } from '../../helpers/fakeElectron.ts';
import type { FakeElectron, FakeWindow } from '../../helpers/fakeElectron.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { waitFor } from '../../helpers/waitFor.ts';

async function startShell(argv: string[]): Promise<{ fx: FakeElectron; win: FakeWindow; userData: string }> {
  const userData = makeTempDir('shell-real');
  const fx = fakeElectron({ userData, rendererDir: path.join(ROOT, 'renderer'), argv });
  const shell = runDesktopShell(fx.env);
  fx.app.ready();
  await shell.started;
  const win = fx.app.windows[0];
  assert.ok(win, `no window; log:\n${fx.logs.join('\n')}`);
  return { fx, win, userData };
}

const call = (fx: FakeElectron, win: FakeWindow, channel: string, input: unknown) =>
  fx.ipcMain.invoke(ELECTRON_REQUEST_PREFIX + channel, win.webContents.ipcEvent(INDEX_URL), input) as Promise<
    IpcResult<unknown>
  >;

async function quit(fx: FakeElectron): Promise<void> {
  fx.app.quit();
  await waitFor('the quit', () => fx.app.quitted, 30_000);
}

test('every contract channel refuses a malformed argument from the window with a typed error', async () => {
  const { fx, win } = await startShell(['--feed=none']);
  try {
    for (const channel of REQUEST_CHANNELS) {
      for (const input of [42, 'x', [], { notAField: true }]) {
        const r = await call(fx, win, channel, input);
        assert.equal(r.ok, false, `${channel} accepted ${JSON.stringify(input)}`);
        if (r.ok) continue;
        assert.equal(
          r.error.code,
          'invalid_argument',
          `${channel} ${JSON.stringify(input)}: ${r.error.message}`,
        );
        assert.match(r.error.message, new RegExp(`invalid argument for ${channel.replace('.', '\\.')}`));
      }
    }
    // A well-formed call still works afterwards: a bad argument breaks nothing.
    const stats = await call(fx, win, 'storage.stats', {});
    assert.equal(stats.ok, true);
    await assert.rejects(call(fx, win, 'shell.openExternal', {}), /No handler/);
  } finally {
    await quit(fx);
  }
});

test('recording from the demo feed and quitting leaves every accepted tick in the day files', async () => {
  const { fx, win, userData } = await startShell([]);
  let stored = 0;
  await waitFor(
    'the demo feed to record',
    () => {
      void call(fx, win, 'storage.stats', {}).then((r) => {
        if (r.ok) stored = (r.value as StorageStats).ticks_received;
      });
      return stored >= 200;
    },
    30_000,
  );
  await quit(fx);
  const outcome = fx.logs.find((l) => l.startsWith('quit: store closed'));
  assert.match(outcome ?? '', /every tick is on disk/, fx.logs.join('\n'));

  const store = await openTickStore({ dataDir: path.join(userData, 'data') });
  try {
    const symbols = await store.listSymbols();
    const total = symbols.reduce((n, s) => n + s.count, 0);
    assert.ok(total >= stored, `${total} ticks on disk, ${stored} received before the quit`);
  } finally {
    await store.stop();
  }
});
