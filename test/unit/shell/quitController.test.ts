// Quit requests (menu, tray, Cmd+Q, repeats during the flush) start one flush and end in one real
// quit, which before-quit then lets through. A log that never drains cannot hold the quit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StopResult } from '../../../electron/engine/tickStoreApi.ts';
import { createQuitController } from '../../../electron/shell/quitController.ts';
import { CLEAN_STOP } from '../../helpers/engineResults.ts';
import { fakeClock } from '../../helpers/fakeClock.ts';
import { FakeEvent } from '../../helpers/fakeElectron.ts';

function controller(o: { close?: () => Promise<StopResult | null>; drainLog?: () => Promise<void> } = {}) {
  const clock = fakeClock();
  let quits = 0;
  let closes = 0;
  const logs: string[] = [];
  const q = createQuitController({
    close: () => {
      closes++;
      return o.close ? o.close() : Promise.resolve(CLEAN_STOP);
    },
    quit: () => quits++,
    drainLog: o.drainLog ?? (async () => undefined),
    showMessageBox: () => null,
    ...clock,
    log: (m) => logs.push(m),
  });
  return { q, clock, logs, quits: () => quits, closes: () => closes };
}

test('the first quit is held for the flush; the quit after it goes through', async () => {
  const c = controller();
  assert.equal(c.q.quitting(), false);
  const first = new FakeEvent();
  c.q.beforeQuit(first);
  assert.equal(first.defaultPrevented, true);
  assert.equal(c.q.quitting(), true);
  const outcome = await c.q.done();
  assert.equal(outcome?.kind, 'closed');
  assert.equal(c.quits(), 1);
  const second = new FakeEvent();
  c.q.beforeQuit(second);
  assert.equal(second.defaultPrevented, false, 'after the flush the quit is let through');
  assert.equal(c.closes(), 1);
});

test('repeated quit requests during the flush start one close', async () => {
  let finish!: (r: StopResult) => void;
  const c = controller({ close: () => new Promise((r) => (finish = r)) });
  for (let i = 0; i < 3; i++) {
    const e = new FakeEvent();
    c.q.beforeQuit(e);
    assert.equal(e.defaultPrevented, true);
  }
  await c.clock.advance(100);
  assert.equal(c.closes(), 1);
  assert.equal(c.quits(), 0, 'no quit before the flush');
  finish(CLEAN_STOP);
  await c.clock.advance(0);
  assert.equal(c.quits(), 1);
});

test('nothing started (close resolves null) quits at once with a clean outcome', async () => {
  const c = controller({ close: async () => null });
  c.q.beforeQuit(new FakeEvent());
  const outcome = await c.q.done();
  assert.equal(outcome?.kind, 'closed');
  assert.equal(c.quits(), 1);
});

test('a log that never drains holds the quit one second, no more', async () => {
  const c = controller({ drainLog: () => new Promise<void>(() => {}) });
  c.q.beforeQuit(new FakeEvent());
  await c.clock.advance(999);
  assert.equal(c.quits(), 0);
  await c.clock.advance(1);
  assert.equal(c.quits(), 1);
});

test('a log drain that fails does not stop the quit', async () => {
  const c = controller({ drainLog: () => Promise.reject(new Error('EIO')) });
  c.q.beforeQuit(new FakeEvent());
  await c.clock.advance(0);
  assert.equal(c.quits(), 1);
  assert.equal(c.clock.pending(), 0);
});

test('done() before any quit request is null', async () => {
  assert.equal(await controller().q.done(), null);
});
