import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDuplicateDetector } from '../../../electron/engine/quality/duplicates.ts';
import { createGapDetector } from '../../../electron/engine/quality/gapDetector.ts';
import { countHour, createHourCounts } from '../../../electron/engine/quality/hourCounts.ts';
import { createLatencyHistogram } from '../../../electron/engine/quality/latency.ts';
import { quoteFault } from '../../../electron/engine/quality/quoteChecks.ts';
import { createRegressionDetector } from '../../../electron/engine/quality/regressions.ts';
import { createSpikeDetector, robustZ } from '../../../electron/engine/quality/spikeDetector.ts';
import { learnNormalSpacingUs } from '../../../renderer/charts/gaps/gapFinder.ts';

const SEC = 1_000_000;

test('hour counts put each tick in its UTC hour and drop times outside the day', () => {
  const c = createHourCounts();
  for (const t of [0, 3_599_999_999, 3_600_000_000, 23.5 * 3600 * SEC, 24 * 3600 * SEC, -1])
    countHour(c, t, 0);
  assert.equal(c[0], 2);
  assert.equal(c[1], 1);
  assert.equal(c[23], 1);
  assert.equal(
    c.reduce((a, b) => a + b, 0),
    4,
  );
});

test('the gap detector flags only pauses above the learned spacing, the same threshold as the chart', () => {
  const ts: number[] = [];
  let t = 0;
  for (let i = 0; i < 2000; i++) {
    t += (0.3 + ((i * 7919) % 41) / 100) * SEC;
    if (i === 500) t += 90 * SEC;
    if (i === 1500) t += 4 * SEC;
    ts.push(t);
  }
  const d = createGapDetector();
  for (const x of ts) d.add(x);
  const { normalSpacingUs, gaps } = d.finish();
  assert.equal(normalSpacingUs, learnNormalSpacingUs(ts));
  assert.equal(gaps.length, 1);
  assert.equal(gaps[0].fromUs, ts[499]);
  assert.equal(gaps[0].toUs, ts[500]);
});

test('quote checks tell crossed from locked and pass one-sided quotes', () => {
  assert.equal(quoteFault(1.2, 1.1), 'crossed');
  assert.equal(quoteFault(1.1, 1.1), 'locked');
  assert.equal(quoteFault(1.1, 1.2), null);
  assert.equal(quoteFault(Number.NaN, 1.2), null);
});

test('robust z uses MAD, and the mean absolute deviation when MAD is 0', () => {
  const z = robustZ(Float64Array.from([1, 2, 3, 4, 100]));
  // median 3, MAD 1: z = 0.6745 · (x − 3)
  assert.ok(Math.abs(z[4] - 0.6745 * 97) < 1e-9);
  const flat = robustZ(Float64Array.from([0, 0, 0, 0, 5]));
  // MAD 0; MeanAD = 1: z = 5 / 1.253314
  assert.ok(Math.abs(flat[4] - 5 / 1.253314) < 1e-9);
});

test('a spike out and straight back counts once; a level shift counts once', () => {
  const d = createSpikeDetector();
  const mids: number[] = [];
  for (let i = 0; i < 400; i++) mids.push(1 + (i % 3) * 0.0001);
  mids[100] += 0.01; // out and back
  for (let i = 300; i < 400; i++) mids[i] += 0.02; // shift that stays
  mids.forEach((m, i) => d.add(i * SEC, m));
  const spikes = d.finish(8);
  assert.deepEqual(
    spikes.map((s) => s.atUs),
    [100 * SEC, 300 * SEC],
  );
});

test('regressions follow arrival order: a late tick counts once, ticks in the same microsecond never', () => {
  const d = createRegressionDetector();
  d.add(1, 10);
  d.add(2, 30); // stamped 2, received after 3
  d.add(3, 20);
  d.add(4, 40);
  d.add(5, 50);
  d.add(4.5, 50); // same receive microsecond: tie broken by exchange time
  const r = d.finish();
  assert.equal(r.length, 1);
  assert.deepEqual(r[0], { atUs: 2, afterUs: 3, recvUs: 30 });
});

test('duplicates are repeats of the same values at the same microsecond, whatever their order', () => {
  const d = createDuplicateDetector();
  assert.equal(d.add(1, 1.1, 1.2, 1, 2), false);
  assert.equal(d.add(1, 1.1, 1.2, 5, 2), false);
  assert.equal(d.add(1, 1.1, 1.2, 1, 2), true);
  assert.equal(d.add(2, 1.1, 1.2, 1, 2), false);
});

test('latency percentiles land within a histogram bin of the true values', () => {
  const h = createLatencyHistogram();
  assert.equal(h.summary(), null);
  for (let i = 1; i <= 1000; i++) h.add(i * 10);
  const s = h.summary();
  assert.ok(s);
  assert.equal(s.count, 1000);
  assert.ok(Math.abs(s.p50Us - 5000) / 5000 < 0.03, `p50 ${s.p50Us}`);
  assert.ok(Math.abs(s.p99Us - 9900) / 9900 < 0.03, `p99 ${s.p99Us}`);
});
