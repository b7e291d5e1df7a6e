// Backpressure for live feeds: ingestPressure() is null while the queue is at most half full and
// otherwise one shared promise that resolves when it has drained to half, the rule whenWritable
// follows too. A socket feed pauses its reads while it gets a promise.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DemoQuoteGenerator } from '../../../electron/feeds/demoQuotes.ts';
import { US_PER_MIN } from '../../../shared/time.ts';
import { openTestStore } from '../../helpers/testStore.ts';

const NOW = Date.UTC(2026, 9, 1, 9) * 1000;

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: not settled within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

test('ingestPressure: null while the queue is at most half full, one shared promise above it', async () => {
  const { store } = await openTestStore('pressure', NOW, { queueCapacity: 2_000, batchSize: 250 });
  const gen = new DemoQuoteGenerator(8, 5);
  try {
    assert.equal(store.ingestPressure(), null, 'idle: no promise');
    // A burst faster than any writer: eight sealed batches fill the queue to its capacity.
    for (let i = 0; i < 2_000; i++) store.ingest(gen.next(NOW - US_PER_MIN + i));
    assert.ok(store.getStorageStats().queue_size > 1_000, 'above half');
    const p = store.ingestPressure();
    assert.ok(p instanceof Promise, 'a promise while above half capacity');
    assert.equal(store.ingestPressure(), p, 'every caller shares the one promise');
    const w = store.whenWritable();
    await within(p, 15_000, 'ingestPressure');
    assert.ok(store.getStorageStats().queue_size <= 1_000, 'resolved at half capacity or below');
    await within(w, 1_000, 'whenWritable (the same rule)');
    await store.flush();
    assert.equal(store.ingestPressure(), null, 'drained: null again');

    // A feed that pauses while it gets a promise never spills.
    let paused = 0;
    for (let i = 0; i < 40_000; i += 250) {
      const wait = store.ingestPressure();
      if (wait) {
        paused++;
        await within(wait, 15_000, 'pause');
      }
      for (let j = 0; j < 250; j++) store.ingest(gen.next(NOW - US_PER_MIN + 2_000 + i + j));
    }
    await store.flush();
    const s = store.getStorageStats();
    assert.equal(s.ticks_spilled, 0, `paused ${paused} times and never spilled`);
    assert.equal(s.ticks_written, 42_000);
  } finally {
    await store.stop();
  }
  assert.equal(store.ingestPressure(), null, 'after stop: null');
});
