// Worker faults: the spill or the writer worker dies while ticks are on their way. What waits on
// it settles (flush rejects with a typed error, never hangs), health turns critical with the
// reason, the worker is restarted, and the ticks it held are handed to the new one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Worker } from 'node:worker_threads';
import { WorkerFailedError } from '../../../electron/engine/errors.ts';
import { US_PER_HOUR } from '../../../shared/time.ts';
import { DemoQuoteGenerator } from '../../../electron/feeds/demoQuotes.ts';
import { assertAccounted } from '../../helpers/accounting.ts';
import { sqliteCountAll } from '../../helpers/sqliteFiles.ts';
import { openTestStore } from '../../helpers/testStore.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const NOW = Date.UTC(2026, 10, 5, 12) * 1000;

/** flush() settles one way or the other within the time given, or the test fails. */
async function settles(p: Promise<void>, ms: number): Promise<'resolved' | Error> {
  let t: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (t = setTimeout(() => reject(new Error(`flush still pending after ${ms} ms`)), ms)),
  );
  try {
    return await Promise.race([
      p.then(
        () => 'resolved' as const,
        (e: Error) => e,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(t);
  }
}

async function drained(store: Awaited<ReturnType<typeof openTestStore>>['store']): Promise<void> {
  await waitFor(
    'the queue and the journal to drain',
    () => {
      const s = store.getStorageStats();
      return s.queue_size === 0 && s.spill_pending_ticks === 0 && s.spill_inflight_ticks === 0;
    },
    30_000,
  );
  await store.flush();
}

for (const victim of ['spillWorker', 'writerWorker'] as const) {
  test(`the ${victim} killed mid-stream: flush settles, health says so, nothing is lost`, async () => {
    const workers: Worker[] = [];
    const { store, dir } = await openTestStore(
      `kill-${victim}`,
      NOW,
      // A small queue sends most of the burst through the journal, so both workers carry ticks.
      { queueCapacity: 2_000, batchSize: 500 },
      { onWorker: (name, w) => name === victim && workers.push(w) },
    );
    try {
      const gen = new DemoQuoteGenerator(16, 9);
      const N = 40_000;
      for (let i = 0; i < N; i++) store.ingest(gen.next(NOW - US_PER_HOUR + i * 20));
      const flushing = store.flush();
      await workers[0].terminate();
      const outcome = await settles(flushing, 15_000);
      if (outcome !== 'resolved') assert.ok(outcome instanceof WorkerFailedError, String(outcome));
      const h = store.getHealth();
      assert.equal(h.status, 'critical');
      assert.ok(
        h.reasons.some((r) => /worker failed: exited with code 1; it was restarted/.test(r)),
        h.reasons.join('; '),
      );
      assert.equal(workers.length, 2, 'a new worker took over');
      await drained(store);
      const s = store.getStorageStats();
      assertAccounted(s, 'after the restart');
      assert.equal(s.ticks_lost, 0, JSON.stringify(s.lost_by_reason));
      assert.equal(s.worker_restarts, 1);
      assert.equal(s.ticks_written + s.ticks_duplicate, N);
      await store.stop();
      assert.equal(sqliteCountAll(`${dir}/sqlite`), N, 'every tick is in the day files once');
    } finally {
      await store.stop();
    }
  });
}

test('a writer that keeps dying is given up on: ticks go to the journal and health says why', async () => {
  const workers: Worker[] = [];
  const { store } = await openTestStore(
    'kill-writer-often',
    NOW,
    {},
    { onWorker: (name, w) => name === 'writerWorker' && workers.push(w) },
  );
  try {
    for (let k = 0; k < 4; k++) {
      await waitFor('a writer to be running', () => workers.length === k + 1, 10_000);
      await workers[k].terminate();
    }
    await waitFor(
      'the engine to give up on the writer',
      () => /writer down/.test(store.getHealth().reasons.join('\n')),
      10_000,
    );
    const gen = new DemoQuoteGenerator(4, 2);
    for (let i = 0; i < 3_000; i++) assert.equal(store.ingest(gen.next(NOW - US_PER_HOUR + i)), 'accepted');
    await assert.rejects(store.flush(), WorkerFailedError);
    await waitFor(
      'the ticks to reach the journal',
      () => store.getStorageStats().spill_pending_ticks === 3_000,
      10_000,
    );
    const s = store.getStorageStats();
    assertAccounted(s, 'with the writer down');
    assert.equal(s.ticks_lost, 0);
    const r = await store.stop({ deadlineMs: 3_000 });
    assert.equal(r.clean, false);
    assert.equal(r.pendingInJournal, 3_000, 'they wait in the journal for the next start');
  } finally {
    await store.stop();
  }
});
