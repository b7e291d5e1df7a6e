// Acceptance of the data-quality report: a day with gaps, spikes, crossed and locked quotes,
// regressions and duplicates injected at known places, ingested through a real store, read back
// by the engine's quality worker over the stored stream: it must find exactly those. And on the
// real EURUSD day, facts that must hold whatever the data (hours sum to the day's count).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, test } from 'node:test';
import { qualityReport } from '../../../electron/engine/quality/runQualityReport.ts';
import { dayIndexToStartUs, dayKeyToIndex, US_PER_DAY } from '../../../shared/time.ts';
import { readDukascopyRows } from '../../fixtures/explorer/seedDukascopy.ts';
import { removeTempDirs } from '../../helpers/tempDir.ts';
import { openTestStore } from '../../helpers/testStore.ts';
import { injectedDay } from '../../unit/quality/injectedDay.ts';

after(removeTempDirs);

const DAY = '2024-03-05';
const START = dayIndexToStartUs(dayKeyToIndex(DAY) ?? 0);

const at = (marks: { kind: string; atUs: number }[], kind: string): number[] =>
  marks.filter((m) => m.kind === kind).map((m) => m.atUs);

test('the stored day with injected flaws reports exactly those flaws', async () => {
  const { ticks, injected } = injectedDay(START, 6);
  const { store, dir } = await openTestStore('quality', START + US_PER_DAY);
  for (const t of ticks) assert.equal(store.ingest(t), 'accepted');
  await store.flush();
  await store.stop();

  const report = await qualityReport(path.join(dir, 'sqlite'), DAY, { markLimit: 100 });
  assert.equal(report.ticks, ticks.length);
  const lp1 = report.rows.find((r) => r.source === 'LP1');
  const lp2 = report.rows.find((r) => r.source === 'LP2');
  assert.ok(lp1 && lp2);
  assert.equal(lp1.ticks + lp2.ticks, ticks.length);
  assert.deepEqual(
    lp1.marks.filter((m) => m.kind === 'gap').map((m) => ({ fromUs: m.atUs, toUs: m.toUs })),
    injected.gaps.filter((g) => g.fromUs < START + 6 * 3_600_000_000),
  );
  assert.deepEqual(at(lp1.marks, 'spike'), injected.spikes);
  assert.deepEqual(at(lp1.marks, 'crossed'), injected.crossed);
  assert.deepEqual(at(lp1.marks, 'locked'), injected.locked);
  assert.deepEqual(at(lp1.marks, 'regression'), injected.regressions);
  assert.deepEqual(at(lp1.marks, 'duplicate'), injected.duplicates);
  assert.ok(lp1.latency && lp1.latency.p50Us > 1800 && lp1.latency.p50Us < 2200, `p50 ${lp1.latency?.p50Us}`);
  assert.equal(lp2.latency, null);
  assert.deepEqual([lp2.spikes, lp2.crossed, lp2.locked, lp2.regressions, lp2.duplicates], [0, 0, 0, 0, 0]);
});

test('the real EURUSD day: hours sum to the day, no bad quotes, a learned spacing above the floor', async () => {
  const rows = await readDukascopyRows('eurusd-2019-02-04.json.gz');
  const ticks = rows.map(([tsMs, ask, bid, askVol, bidVol]) => ({
    symbol: 'EURUSD',
    source: 'dukascopy',
    tsUs: tsMs * 1000,
    bid,
    ask,
    bidSize: bidVol,
    askSize: askVol,
  }));
  const { store, dir } = await openTestStore('quality-eurusd', Date.UTC(2019, 1, 6) * 1000);
  for (const t of ticks) assert.equal(store.ingest(t), 'accepted');
  await store.flush();
  await store.stop();
  const report = await qualityReport(path.join(dir, 'sqlite'), '2019-02-04');
  assert.equal(report.rows.length, 1);
  const row = report.rows[0];
  assert.equal(row.ticks, ticks.length);
  assert.equal(
    row.hourCounts.reduce((a, b) => a + b, 0),
    ticks.length,
  );
  assert.ok(
    row.hourCounts.every((c) => c > 0),
    'EURUSD quotes every hour of a Monday',
  );
  assert.equal(row.crossed, 0);
  assert.equal(row.regressions, 0, 'downloaded history arrives in time order');
  assert.ok(row.normalSpacingUs >= report.thresholds.gapFloorUs);
  assert.ok(row.spikes < 50, `${row.spikes} spikes on an ordinary day`);
});

test('a malformed day is refused before any worker starts', async () => {
  await assert.rejects(qualityReport('/nonexistent', '2024-02-31x'), /not a UTC day/);
});
