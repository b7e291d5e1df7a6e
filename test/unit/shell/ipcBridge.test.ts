// The bridge registers exactly one handler per contract channel and answers only our window's top
// frame on app://tickscope/index.html: another frame, another webContents, another URL or a
// closed window is refused and logged. Events go to the attached window only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REQUEST_CHANNELS } from '../../../shared/ipc/contract.ts';
import { ELECTRON_EVENT_PREFIX, ELECTRON_REQUEST_PREFIX } from '../../../shared/ipc/wire.ts';
import { INDEX_URL } from '../../../electron/shell/appProtocol.ts';
import { UNTRUSTED_SENDER, registerIpc } from '../../../electron/shell/ipcBridge.ts';
import { FakeContents, FakeIpcMain, FakeWindow } from '../../helpers/fakeElectron.ts';
import { fakeService } from '../../helpers/fakeService.ts';

function bridged() {
  const ipcMain = new FakeIpcMain();
  const svc = fakeService({ result: (channel) => ({ ok: true, value: `answer to ${String(channel)}` }) });
  const logs: string[] = [];
  const calls: string[] = [];
  const bridge = registerIpc(
    ipcMain,
    svc.service,
    (m) => logs.push(m),
    (channel) => calls.push(channel),
  );
  const win = new FakeWindow({});
  bridge.attachWindow(win);
  return { ipcMain, svc, logs, calls, bridge, win };
}

const STATS = ELECTRON_REQUEST_PREFIX + 'storage.stats';

test('every contract channel has exactly one handler, and nothing else is handled', () => {
  const { ipcMain } = bridged();
  assert.deepEqual(
    [...ipcMain.handlers.keys()].sort(),
    REQUEST_CHANNELS.map((c) => ELECTRON_REQUEST_PREFIX + c).sort(),
  );
  // A second registration (say, the bridge set up twice) fails loudly, as Electron does.
  assert.throws(
    () =>
      registerIpc(
        ipcMain,
        fakeService().service,
        () => {},
        () => {},
      ),
    /second handler/,
  );
});

test('our window top frame on index.html is answered, through the service, with the input untouched', async () => {
  const { ipcMain, svc, win, calls, logs } = bridged();
  for (const url of [INDEX_URL, `${INDEX_URL}#history`]) {
    const r = await ipcMain.invoke(STATS, win.webContents.ipcEvent(url), { x: 1 });
    assert.deepEqual(r, { ok: true, value: 'answer to storage.stats' });
  }
  assert.deepEqual(svc.dispatched, [
    { channel: 'storage.stats', input: { x: 1 } },
    { channel: 'storage.stats', input: { x: 1 } },
  ]);
  assert.deepEqual(calls, ['storage.stats', 'storage.stats']);
  assert.deepEqual(logs, []);
});

test('a subframe, another webContents, another URL or a destroyed frame is refused and logged', async () => {
  const { ipcMain, svc, win, logs } = bridged();
  const other = new FakeContents();
  const cases: [string, ReturnType<FakeContents['ipcEvent']>][] = [
    ['subframe', win.webContents.ipcEvent(INDEX_URL, { subframe: true })],
    ['other webContents', other.ipcEvent(INDEX_URL)],
    ['other URL', win.webContents.ipcEvent('https://example.com/')],
    ['other page of ours', win.webContents.ipcEvent('app://tickscope/other.html')],
    ['query string', win.webContents.ipcEvent(`${INDEX_URL}?a=1`)],
    ['destroyed frame', win.webContents.ipcEvent(INDEX_URL, { destroyedFrame: true })],
  ];
  for (const [what, event] of cases) {
    assert.deepEqual(await ipcMain.invoke(STATS, event, {}), UNTRUSTED_SENDER, what);
  }
  assert.deepEqual(svc.dispatched, [], 'nothing reached the service');
  assert.equal(logs.length, cases.length);
  assert.equal(logs[2], 'ipc storage.stats refused from https://example.com/');
  assert.equal(logs[5], 'ipc storage.stats refused from a destroyed frame');
});

test('events reach the attached window; a closed window gets none and its requests are refused', async () => {
  const { ipcMain, svc, win, logs } = bridged();
  svc.broadcast('storage.health', { status: 'ok' });
  assert.deepEqual(win.webContents.sent, [
    { channel: ELECTRON_EVENT_PREFIX + 'storage.health', payload: { status: 'ok' } },
  ]);

  win.close();
  assert.equal(svc.subscribers[0].closed, true, 'the window connection is closed with the window');
  svc.broadcast('storage.health', { status: 'critical' });
  assert.equal(win.webContents.sent.length, 1);
  assert.deepEqual(await ipcMain.invoke(STATS, win.webContents.ipcEvent(INDEX_URL), {}), UNTRUSTED_SENDER);
  assert.equal(logs.length, 1);
});

test('a new window replaces the old one: the old one is refused, the new one answered', async () => {
  const { ipcMain, bridge, win, svc } = bridged();
  const next = new FakeWindow({});
  bridge.attachWindow(next);
  assert.equal(svc.subscribers[0].closed, true);
  assert.deepEqual(await ipcMain.invoke(STATS, win.webContents.ipcEvent(INDEX_URL), {}), UNTRUSTED_SENDER);
  assert.equal(
    ((await ipcMain.invoke(STATS, next.webContents.ipcEvent(INDEX_URL), {})) as { ok: boolean }).ok,
    true,
  );
  // The old window closing later does not detach the new one.
  win.close();
  assert.equal(
    ((await ipcMain.invoke(STATS, next.webContents.ipcEvent(INDEX_URL), {})) as { ok: boolean }).ok,
    true,
  );
});

test('events are not sent to a webContents that is already destroyed', () => {
  const { svc, win } = bridged();
  win.webContents.destroyed = true;
  svc.broadcast('storage.health', { status: 'ok' });
  assert.deepEqual(win.webContents.sent, []);
});

test('with no window attached every request is refused', async () => {
  const ipcMain = new FakeIpcMain();
  registerIpc(
    ipcMain,
    fakeService().service,
    () => {},
    () => {},
  );
  const stray = new FakeContents();
  assert.deepEqual(await ipcMain.invoke(STATS, stray.ipcEvent(INDEX_URL), {}), UNTRUSTED_SENDER);
});

test('dispose removes every handler and closes the connection', async () => {
  const { ipcMain, bridge, svc, win } = bridged();
  bridge.dispose();
  assert.equal(ipcMain.handlers.size, 0);
  assert.equal(svc.subscribers[0].closed, true);
  await assert.rejects(ipcMain.invoke(STATS, win.webContents.ipcEvent(INDEX_URL), {}), /No handler/);
});
