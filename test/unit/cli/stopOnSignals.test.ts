import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { SAME_SIGNAL_WINDOW_MS, stopOnSignals } from '../../../electron/cli/stopOnSignals.ts';

function harness(stopResult: () => Promise<number>) {
  const signals = new EventEmitter();
  const lines: string[] = [];
  const exits: number[] = [];
  const reasons: string[] = [];
  let clock = 1_000;
  const control = stopOnSignals({
    name: 'record',
    signals,
    log: (l) => lines.push(l),
    exit: (c) => exits.push(c),
    now: () => clock,
    waitingFor: () => '42 accepted ticks to reach the day files',
    stop: (reason) => {
      reasons.push(reason);
      return stopResult();
    },
  });
  return { signals, lines, exits, reasons, control, advance: (ms: number) => (clock += ms) };
}

const settle = () => new Promise((r) => setImmediate(r));

test("SIGTERM and SIGINT each start the stop, and the exit code is the stop's", async () => {
  for (const signal of ['SIGTERM', 'SIGINT']) {
    const h = harness(async () => 1);
    h.signals.emit(signal, signal);
    await settle();
    assert.deepEqual(h.reasons, [signal]);
    assert.deepEqual(h.exits, [1]);
  }
});

test('a second signal during the stop is answered with what it waits for, and stops nothing twice', async () => {
  let finish!: (code: number) => void;
  const h = harness(() => new Promise<number>((r) => (finish = r)));
  h.signals.emit('SIGTERM', 'SIGTERM');
  h.advance(SAME_SIGNAL_WINDOW_MS + 1);
  h.signals.emit('SIGINT', 'SIGINT');
  await settle();
  assert.deepEqual(h.reasons, ['SIGTERM']);
  assert.deepEqual(h.exits, [], 'still running');
  assert.equal(h.lines.length, 1);
  assert.match(
    h.lines[0],
    /^record: SIGINT again: still flushing, waiting for 42 accepted ticks to reach the day files/,
  );
  finish(0);
  await settle();
  assert.deepEqual(h.exits, [0]);
});

test('the same Ctrl-C arriving twice (terminal and npm) is one request, answered by nothing', async () => {
  const h = harness(() => new Promise<number>(() => undefined));
  h.signals.emit('SIGINT', 'SIGINT');
  h.advance(1);
  h.signals.emit('SIGINT', 'SIGINT');
  await settle();
  assert.deepEqual(h.lines, []);
  assert.deepEqual(h.reasons, ['SIGINT']);
});

test('stopNow (--duration) runs the same stop once; a signal after it is a repeat', async () => {
  const h = harness(() => new Promise<number>(() => undefined));
  h.control.stopNow('--duration reached');
  h.control.stopNow('--duration reached');
  assert.equal(h.control.stopping, true);
  h.advance(SAME_SIGNAL_WINDOW_MS + 1);
  h.signals.emit('SIGTERM', 'SIGTERM');
  assert.deepEqual(h.reasons, ['--duration reached']);
  assert.match(h.lines[0], /SIGTERM again: still flushing/);
});

test('a stop that throws is reported and exits 3', async () => {
  const h = harness(async () => {
    throw new Error('disk gone');
  });
  h.signals.emit('SIGTERM', 'SIGTERM');
  await settle();
  assert.deepEqual(h.lines, ['record: shutdown failed: disk gone']);
  assert.deepEqual(h.exits, [3]);
});
