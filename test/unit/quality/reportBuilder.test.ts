import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createQualityReportBuilder } from '../../../electron/engine/quality/reportBuilder.ts';
import { dayIndexToStartUs, dayKeyToIndex } from '../../../shared/time.ts';
import { injectedDay } from './injectedDay.ts';
import { toPages } from './streamPages.ts';

const DAY = '2024-03-05';
const START = dayIndexToStartUs(dayKeyToIndex(DAY) ?? 0);

function times(row: { marks: { kind: string; atUs: number; toUs: number }[] }, kind: string): number[] {
  return row.marks.filter((m) => m.kind === kind).map((m) => m.atUs);
}

test('the report on a day with injected flaws finds exactly those, however the day is paged', () => {
  const { ticks, injected } = injectedDay(START);
  for (const pageTicks of [7777, 100_000]) {
    const builder = createQualityReportBuilder(DAY, { markLimit: 100 });
    for (const page of toPages(ticks, pageTicks)) builder.addPage(page);
    const report = builder.finish();
    assert.equal(report.ticks, ticks.length);
    assert.deepEqual(
      report.rows.map((r) => `${r.symbol}/${r.source}`),
      ['EURUSD/LP1', 'EURUSD/LP2'],
    );
    const [lp1, lp2] = report.rows;
    assert.equal(
      lp1.hourCounts.reduce((a, b) => a + b, 0),
      lp1.ticks,
    );
    assert.deepEqual(
      lp1.marks.filter((m) => m.kind === 'gap').map((m) => ({ fromUs: m.atUs, toUs: m.toUs })),
      injected.gaps,
    );
    assert.deepEqual(times(lp1, 'spike'), injected.spikes);
    assert.deepEqual(times(lp1, 'crossed'), injected.crossed);
    assert.deepEqual(times(lp1, 'locked'), injected.locked);
    assert.deepEqual(times(lp1, 'regression'), injected.regressions);
    assert.deepEqual(times(lp1, 'duplicate'), injected.duplicates);
    assert.deepEqual(
      [lp1.gaps, lp1.spikes, lp1.crossed, lp1.locked, lp1.regressions, lp1.duplicates],
      [3, 2, 3, 2, 4, 2],
    );
    assert.ok(lp1.latency);
    // Latency 1.0-3.0 ms uniform, except the four late arrivals (1 s).
    assert.ok(Math.abs(lp1.latency.p50Us - 2000) < 100, `p50 ${lp1.latency.p50Us}`);
    assert.ok(lp1.latency.p99Us > 2800 && lp1.latency.p99Us < 3100, `p99 ${lp1.latency.p99Us}`);
    assert.equal(lp2.latency, null);
    assert.deepEqual(
      [lp2.gaps, lp2.spikes, lp2.crossed, lp2.locked, lp2.regressions, lp2.duplicates],
      [3, 0, 0, 0, 0, 0],
    );
  }
});

test('the mark cap keeps counts exact and says it truncated', () => {
  const { ticks } = injectedDay(START, 2);
  const builder = createQualityReportBuilder(DAY, { markLimit: 1 });
  for (const page of toPages(ticks, 50_000)) builder.addPage(page);
  const lp1 = builder.finish().rows[0];
  assert.equal(lp1.marks.length, 1);
  assert.equal(lp1.marksTruncated, true);
  assert.deepEqual([lp1.gaps, lp1.crossed, lp1.spikes, lp1.duplicates], [1, 1, 1, 1]);
});

test('a malformed day is refused by name', () => {
  assert.throws(() => createQualityReportBuilder('2024-13-40'), /not a UTC day/);
});
