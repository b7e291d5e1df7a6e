// The quit flow against a fake clock and a fake dialog: when the progress dialog appears, what
// "Quit anyway" does, and that no close, however slow or broken, can keep the app from quitting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MessageBoxOptions } from 'electron';
import type { StopResult } from '../../../electron/engine/tickStoreApi.ts';
import {
  DEFAULT_QUIT_TIMINGS,
  QUIT_ANYWAY_BUTTON,
  describeStop,
  dialogTarget,
  runQuitFlow,
} from '../../../electron/shell/quitFlow.ts';
import type { QuitFlowDeps, QuitOutcome } from '../../../electron/shell/quitFlow.ts';
import { CLEAN_STOP } from '../../helpers/engineResults.ts';
import { fakeClock } from '../../helpers/fakeClock.ts';

const CLEAN = CLEAN_STOP;

interface ShownDialog {
  options: MessageBoxOptions;
  aborted: boolean;
  press(button: number): void;
}

/** showMessageBox that resolves when a button is pressed or its signal aborts (as Electron's does). */
function fakeDialogs(opts: { ignoreAbort?: boolean; unavailable?: boolean } = {}) {
  const shown: ShownDialog[] = [];
  const showMessageBox = (options: MessageBoxOptions) => {
    if (opts.unavailable) return null;
    return new Promise<{ response: number }>((resolve) => {
      const d: ShownDialog = {
        options,
        aborted: false,
        press: (response) => resolve({ response }),
      };
      options.signal?.addEventListener('abort', () => {
        d.aborted = true;
        if (!opts.ignoreAbort) resolve({ response: options.cancelId ?? 0 });
      });
      shown.push(d);
    });
  };
  return { shown, showMessageBox };
}

function controllable<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function start(close: () => Promise<StopResult>, dialogs = fakeDialogs()) {
  const clock = fakeClock();
  const logs: string[] = [];
  let outcome: QuitOutcome | null = null;
  const deps: QuitFlowDeps = {
    close,
    showMessageBox: dialogs.showMessageBox,
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
    now: clock.now,
    log: (m) => logs.push(m),
  };
  const done = runQuitFlow(deps).then((o) => (outcome = o));
  return { clock, logs, dialogs, done, outcome: () => outcome };
}

test('a fast close shows no dialog and quits as soon as it is done', async () => {
  const close = controllable<StopResult>();
  const q = start(() => close.promise);
  await q.clock.advance(200);
  assert.equal(q.outcome(), null);
  close.resolve(CLEAN);
  await q.clock.advance(0);
  assert.deepEqual(q.outcome(), { kind: 'closed', result: CLEAN, ms: 200 });
  await q.clock.advance(5000);
  assert.equal(q.dialogs.shown.length, 0);
  assert.equal(q.clock.pending(), 0, 'no timer left behind');
  assert.ok(q.logs.some((l) => /store closed in 200 ms; every tick is on disk/.test(l)));
});

test('a slow close shows the progress dialog after 1 s with Quit anyway, and closes it when done', async () => {
  const close = controllable<StopResult>();
  const q = start(() => close.promise);
  await q.clock.advance(999);
  assert.equal(q.dialogs.shown.length, 0, 'no dialog before 1 s');
  await q.clock.advance(1);
  assert.equal(q.dialogs.shown.length, 1);
  const d = q.dialogs.shown[0];
  assert.equal(d.options.message, 'Saving recorded ticks to disk…');
  assert.deepEqual(d.options.buttons, ['Quit anyway']);
  assert.equal(d.options.buttons?.[QUIT_ANYWAY_BUTTON], 'Quit anyway');
  await q.clock.advance(2000);
  assert.equal(q.outcome(), null, 'still waiting for the store');
  close.resolve(CLEAN);
  await q.clock.advance(0);
  assert.equal(q.outcome()?.kind, 'closed');
  assert.equal(d.aborted, true, 'the dialog was closed by the flow');
  assert.equal(q.dialogs.shown.length, 1, 'no final notice for a clean stop');
});

test('Quit anyway quits at once, without waiting for the store', async () => {
  const q = start(() => new Promise<StopResult>(() => {}));
  await q.clock.advance(2500);
  q.dialogs.shown[0].press(QUIT_ANYWAY_BUTTON);
  await q.clock.advance(0);
  assert.deepEqual(q.outcome(), { kind: 'quit_anyway', ms: 2500 });
  assert.ok(q.logs.some((l) => /Quit anyway/.test(l)));
  assert.equal(q.clock.pending(), 0, 'the deadline timer is cleared');
});

test('dismissing the dialog (Escape) keeps waiting rather than quitting', async () => {
  const close = controllable<StopResult>();
  const q = start(() => close.promise);
  await q.clock.advance(1000);
  const d = q.dialogs.shown[0];
  d.press(d.options.cancelId ?? -1);
  await q.clock.advance(3000);
  assert.equal(q.outcome(), null);
  close.resolve(CLEAN);
  await q.clock.advance(0);
  assert.equal(q.outcome()?.kind, 'closed');
});

test('a close that never settles quits at the deadline, not before', async () => {
  const q = start(() => new Promise<StopResult>(() => {}));
  await q.clock.advance(DEFAULT_QUIT_TIMINGS.deadlineMs - 1);
  assert.equal(q.outcome(), null);
  await q.clock.advance(1);
  assert.deepEqual(q.outcome(), { kind: 'deadline', ms: DEFAULT_QUIT_TIMINGS.deadlineMs });
  assert.equal(q.dialogs.shown[0].aborted, true, 'the progress dialog is closed');
  assert.ok(q.logs.some((l) => /did not close within 15000 ms/.test(l)));
});

test('without a usable dialog (macOS, no window) the deadline still ends the wait', async () => {
  const q = start(() => new Promise<StopResult>(() => {}), fakeDialogs({ unavailable: true }));
  await q.clock.advance(DEFAULT_QUIT_TIMINGS.deadlineMs);
  assert.equal(q.outcome()?.kind, 'deadline');
  assert.ok(q.logs.some((l) => /no progress dialog can be shown/.test(l)));
});

test('a failed close is logged, noticed briefly, and the app quits', async () => {
  const q = start(() => Promise.reject(new Error('disk I/O error')));
  await q.clock.advance(0);
  assert.ok(q.logs.some((l) => /closing the store failed after 0 ms: disk I\/O error/.test(l)));
  assert.equal(q.dialogs.shown.length, 1);
  assert.equal(q.dialogs.shown[0].options.type, 'error');
  assert.match(String(q.dialogs.shown[0].options.detail), /disk I\/O error/);
  assert.equal(q.outcome(), null, 'the notice is up');
  await q.clock.advance(DEFAULT_QUIT_TIMINGS.noticeMs);
  assert.deepEqual(q.outcome(), { kind: 'failed', message: 'disk I/O error', ms: 0 });
});

test('a close that throws synchronously is a failure too, not an exception', async () => {
  const q = start(() => {
    throw new Error('store already gone');
  });
  await q.clock.advance(DEFAULT_QUIT_TIMINGS.noticeMs);
  assert.equal(q.outcome()?.kind, 'failed');
});

test('lost or pending ticks are logged and shown in a notice that cannot hold the quit', async () => {
  const result: StopResult = {
    clean: false,
    timedOut: true,
    pendingInJournal: 120,
    lost: 7,
    lostByReason: { worker_terminated: 7 },
    problems: ['the writer did not finish within 10000 ms'],
  };
  // This dialog ignores its abort signal: only the flow's own timer can end the notice.
  const q = start(async () => result, fakeDialogs({ ignoreAbort: true }));
  await q.clock.advance(0);
  const line = q.logs.find((l) => /store closed/.test(l)) ?? '';
  assert.match(line, /7 ticks lost \(worker_terminated: 7\)/);
  assert.match(line, /120 ticks wait in the spill journal/);
  const n = q.dialogs.shown[0];
  assert.equal(n.options.type, 'warning');
  assert.match(String(n.options.detail), /the writer did not finish/);
  await q.clock.advance(DEFAULT_QUIT_TIMINGS.noticeMs - 1);
  assert.equal(q.outcome(), null);
  await q.clock.advance(1);
  assert.equal(q.outcome()?.kind, 'closed');
  assert.equal(n.aborted, true);
});

test('pressing OK on the notice quits at once', async () => {
  const q = start(async () => ({ ...CLEAN, clean: false, pendingInJournal: 5 }));
  await q.clock.advance(0);
  assert.equal(q.dialogs.shown[0].options.type, 'info');
  q.dialogs.shown[0].press(0);
  await q.clock.advance(0);
  assert.equal(q.outcome()?.kind, 'closed');
});

test('a dialog that throws does not break the quit', async () => {
  const q = start(() => new Promise<StopResult>(() => {}), {
    shown: [],
    showMessageBox: () => {
      throw new Error('no display');
    },
  });
  await q.clock.advance(DEFAULT_QUIT_TIMINGS.deadlineMs);
  assert.equal(q.outcome()?.kind, 'deadline');
  assert.ok(q.logs.some((l) => /dialog failed: no display/.test(l)));
});

test('describeStop: null when clean, else what was not made durable', () => {
  assert.equal(describeStop(CLEAN), null);
  assert.equal(describeStop({ ...CLEAN, clean: false }), 'the store did not stop cleanly');
  assert.equal(describeStop({ ...CLEAN, lost: 3, lostByReason: {} }), '3 ticks lost');
});

test('dialog placement: macOS needs a live parent window (a parentless box blocks main)', () => {
  const live = { isDestroyed: () => false };
  const dead = { isDestroyed: () => true };
  assert.deepEqual(dialogTarget('darwin', live), { parent: live });
  assert.equal(dialogTarget('darwin', dead), null);
  assert.equal(dialogTarget('darwin', null), null);
  assert.deepEqual(dialogTarget('linux', live), { parent: null });
  assert.deepEqual(dialogTarget('win32', null), { parent: null });
});
