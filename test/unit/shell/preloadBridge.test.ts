// The preload gives the page exactly the contract: one function per request channel and a
// subscribe for event channels. The bundled preload.cjs is run as Electron would run it (with a
// fake `electron` module), so the test covers what ships, not just the module.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import vm from 'node:vm';
import { build } from 'esbuild';
import { EVENT_CHANNELS, REQUEST_CHANNELS } from '../../../shared/ipc/contract.ts';
import { ELECTRON_EVENT_PREFIX, ELECTRON_REQUEST_PREFIX } from '../../../shared/ipc/wire.ts';
import type { TickscopeBridge } from '../../../shared/ipc/wire.ts';
import { createPreloadBridge } from '../../../electron/shell/preloadBridge.ts';
import type { PreloadIpc } from '../../../electron/shell/preloadBridge.ts';
import { electronBuilds } from '../../../build/scripts/buildElectron.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

function fakeIpcRenderer() {
  const invoked: unknown[][] = [];
  const listeners = new Map<string, ((e: unknown, p: unknown) => void)[]>();
  const ipc: PreloadIpc = {
    invoke: async (...args: unknown[]) => {
      invoked.push(args);
      return { ok: true, value: null };
    },
    on: (channel, l) => listeners.set(channel, [...(listeners.get(channel) ?? []), l]),
    removeListener: (channel, l) =>
      listeners.set(
        channel,
        (listeners.get(channel) ?? []).filter((x) => x !== l),
      ),
  };
  const emit = (channel: string, payload: unknown) => {
    for (const l of listeners.get(channel) ?? []) l({ sender: 'ipc event' }, payload);
  };
  return { ipc, invoked, listeners, emit };
}

function assertContractSurface(bridge: TickscopeBridge) {
  assert.deepEqual(Object.keys(bridge).sort(), ['requests', 'subscribe']);
  assert.deepEqual(Object.keys(bridge.requests).sort(), [...REQUEST_CHANNELS].sort());
  for (const fn of Object.values(bridge.requests)) assert.equal(typeof fn, 'function');
  assert.equal(Object.isFrozen(bridge), true);
  assert.equal(Object.isFrozen(bridge.requests), true);
}

test('the bridge is exactly the contract: request functions and subscribe, frozen', () => {
  assertContractSurface(createPreloadBridge(fakeIpcRenderer().ipc));
});

test('a request invokes its own channel with one argument; extra arguments never reach main', async () => {
  const r = fakeIpcRenderer();
  const bridge = createPreloadBridge(r.ipc);
  const call = bridge.requests['ticks.recent'] as unknown as (...a: unknown[]) => Promise<unknown>;
  await call({ symbol: 'EURUSD' }, 'extra', { sneaky: true });
  assert.deepEqual(r.invoked, [[ELECTRON_REQUEST_PREFIX + 'ticks.recent', { symbol: 'EURUSD' }]]);
});

test('subscribe: contract events only, the payload without the IPC event, and an unsubscribe', () => {
  const r = fakeIpcRenderer();
  const bridge = createPreloadBridge(r.ipc);
  const got: unknown[][] = [];
  const off = bridge.subscribe(EVENT_CHANNELS[0], (...args: unknown[]) => got.push(args));
  r.emit(ELECTRON_EVENT_PREFIX + EVENT_CHANNELS[0], { n: 1 });
  assert.deepEqual(got, [[{ n: 1 }]]);
  off();
  r.emit(ELECTRON_EVENT_PREFIX + EVENT_CHANNELS[0], { n: 2 });
  assert.equal(got.length, 1);
  assert.throws(
    () => bridge.subscribe('ipc.anything' as never, () => {}),
    /unknown event channel "ipc\.anything"/,
  );
  assert.equal(r.listeners.get('ipc.anything'), undefined);
});

test('the bundled preload exposes window.tickscope and nothing else, and requires only electron', async () => {
  // Bundled with the build's own options (build/scripts/buildElectron.ts), in memory.
  const preload = (await electronBuilds(makeTempDir('preload'))).find((b) => b.kind === 'preload');
  assert.ok(preload, 'the build has no preload bundle');
  const out = await build({ ...preload.options, write: false, sourcemap: false, logLevel: 'silent' });
  const code = out.outputFiles[0].text;
  const r = fakeIpcRenderer();
  const exposed: { key: string; api: unknown }[] = [];
  const required: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push({ key, api }) },
    ipcRenderer: r.ipc,
  };
  const module = { exports: {} };
  vm.runInNewContext(code, {
    module,
    exports: module.exports,
    require: (id: string) => {
      required.push(id);
      if (id === 'electron') return electron;
      throw new Error(`the preload required ${id}`);
    },
  });
  assert.deepEqual(required, ['electron']);
  assert.deepEqual(
    exposed.map((e) => e.key),
    ['tickscope'],
  );
  const bridge = exposed[0].api as TickscopeBridge;
  assertContractSurface(bridge);
  assert.equal('ipcRenderer' in bridge || 'invoke' in bridge || 'send' in bridge, false);
  await bridge.requests['storage.stats']({});
  assert.deepEqual(r.invoked, [[ELECTRON_REQUEST_PREFIX + 'storage.stats', {}]]);
});
