// Switching sqlite -> json -> dual -> sqlite while a producer keeps ingesting: every accepted tick
// lands in exactly the sinks of the backend in force when it was accepted, once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listDayFiles } from '../../../electron/engine/storage/dayFileCatalog.ts';
import { DemoQuoteGenerator } from '../../../electron/feeds/demoQuotes.ts';
import type { Backend } from '../../../shared/stats.ts';
import { isoToUs, readJsonBackend } from '../../helpers/jsonFiles.ts';
import { sqliteAll } from '../../helpers/sqliteFiles.ts';
import { openTestStore } from '../../helpers/testStore.ts';

const NOW = Date.UTC(2026, 8, 1, 15) * 1000;
const SWITCHES: Backend[] = ['json', 'dual', 'sqlite', 'dual', 'json', 'sqlite', 'json', 'dual', 'sqlite'];

test('backend switches under load lose and duplicate nothing', async () => {
  const { store } = await openTestStore('switch', NOW, { batchIntervalMs: 10 });
  const gen = new DemoQuoteGenerator(12, 21);
  // Unique timestamps (1 µs apart) attribute every tick to the backend it was accepted under.
  const modeOf = new Map<number, Backend>();
  let mode: Backend = 'sqlite';
  let next = NOW - 3_600_000_000;
  let producing = true;
  const producer = new Promise<void>((resolve) => {
    const step = () => {
      if (!producing) return resolve();
      for (let i = 0; i < 250; i++) {
        const tsUs = next++;
        assert.equal(store.ingest(gen.next(tsUs)), 'accepted');
        modeOf.set(tsUs, mode);
      }
      setImmediate(step);
    };
    step();
  });
  try {
    for (const b of SWITCHES) {
      await new Promise((r) => setTimeout(r, 40));
      const before = modeOf.size;
      // setBackend takes effect synchronously for ticks accepted after the call.
      void store.setBackend(b);
      mode = b;
      assert.equal(store.getSettings().backend, b);
      assert.equal(store.getStorageStats().backend, b);
      assert.ok(modeOf.size >= before);
    }
    await new Promise((r) => setTimeout(r, 40));
    producing = false;
    await producer;
    await store.flush();
    assert.ok(modeOf.size > 10_000, `a real load (${modeOf.size} ticks)`);

    const expectSqlite = new Set<number>();
    const expectJson = new Set<number>();
    const perMode = new Map<Backend, number>();
    for (const [ts, m] of modeOf) {
      perMode.set(m, (perMode.get(m) ?? 0) + 1);
      if (m !== 'json') expectSqlite.add(ts);
      if (m !== 'sqlite') expectJson.add(ts);
    }
    for (const m of ['sqlite', 'json', 'dual'] as const)
      assert.ok((perMode.get(m) ?? 0) > 0, `ticks accepted under ${m}`);

    const sqliteTs: number[] = [];
    for (const f of listDayFiles(store.config.sqliteDir)) {
      for (const r of sqliteAll<{ ts_us: number }>(f.path, 'SELECT ts_us FROM ticks')) sqliteTs.push(r.ts_us);
    }
    const jsonTs = readJsonBackend(store.config.jsonDir).map((o) => isoToUs(o.timestamp));

    assertExactly('sqlite', sqliteTs, expectSqlite);
    assertExactly('json', jsonTs, expectJson);

    const s = store.getStorageStats();
    assert.equal(s.ticks_stored, modeOf.size);
    assert.equal(s.ticks_written, expectSqlite.size);
    assert.equal(s.json_ticks_written, expectJson.size);
    assert.equal(s.ticks_duplicate, 0);
    assert.equal(s.ticks_spilled, 0);
  } finally {
    producing = false;
    await producer;
    await store.stop();
  }
});

function assertExactly(sink: string, got: number[], expected: Set<number>): void {
  const seen = new Set<number>();
  const dupes: number[] = [];
  const stray: number[] = [];
  for (const ts of got) {
    if (seen.has(ts)) dupes.push(ts);
    seen.add(ts);
    if (!expected.has(ts)) stray.push(ts);
  }
  const missing = [...expected].filter((ts) => !seen.has(ts));
  assert.deepEqual(
    { dupes: dupes.length, stray: stray.length, missing: missing.length },
    { dupes: 0, stray: 0, missing: 0 },
    `${sink}: ${got.length} stored, ${expected.size} expected`,
  );
}
