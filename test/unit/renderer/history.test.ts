import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TIMEFRAMES_SEC } from '../../../shared/bars.ts';
import { US_PER_DAY, US_PER_HOUR, US_PER_MIN, US_PER_SEC } from '../../../shared/time.ts';
import {
  chooseHistoryMode,
  chooseTimeframe,
  describeMode,
  MAX_VISIBLE_BARS,
  MIN_VISIBLE_BARS,
} from '../../../renderer/history/chooseTimeframe.ts';
import { planLoad } from '../../../renderer/history/loadPlan.ts';
import { LatestOnly } from '../../../renderer/history/latestOnly.ts';

test('timeframe keeps the visible span between ~200 and 2000 bars', () => {
  assert.equal(chooseTimeframe(US_PER_DAY), 60); // 1440 one-minute bars
  assert.equal(chooseTimeframe(7 * US_PER_DAY), 900); // 672 bars
  assert.equal(chooseTimeframe(10 * US_PER_MIN), 1);
  assert.equal(chooseTimeframe(3650 * US_PER_DAY), 86400, 'never coarser than a day');
  for (let span = 5 * US_PER_MIN; span < 1000 * US_PER_DAY; span *= 1.37) {
    const tf = chooseTimeframe(span);
    const bars = span / (tf * US_PER_SEC);
    assert.ok(bars <= MAX_VISIBLE_BARS, `span ${span}: ${bars} bars at ${tf}s`);
    // The next finer step would have exceeded the cap, so the count stays in a useful band.
    const i = TIMEFRAMES_SEC.indexOf(tf as (typeof TIMEFRAMES_SEC)[number]);
    if (i > 0) assert.ok(bars >= MIN_VISIBLE_BARS / 2, `span ${span}: only ${bars} bars at ${tf}s`);
  }
});

test('raw ticks only when the view is narrow or sparse enough', () => {
  assert.deepEqual(chooseHistoryMode(2 * US_PER_MIN, null), { kind: 'ticks' });
  assert.deepEqual(chooseHistoryMode(US_PER_DAY, null), { kind: 'bars', timeframeSec: 60 });
  // A quiet symbol: 10 minutes at 2 ticks/s = 1200 ticks, drawn raw.
  assert.deepEqual(chooseHistoryMode(10 * US_PER_MIN, 2 / US_PER_SEC), { kind: 'ticks' });
  // A busy one: 10 minutes at 100 ticks/s = 60,000 ticks, drawn as 1s bars.
  assert.deepEqual(chooseHistoryMode(10 * US_PER_MIN, 100 / US_PER_SEC), { kind: 'bars', timeframeSec: 1 });
  // Very busy even in a 2 minute view: more than the chart should hold, so bars.
  assert.equal(chooseHistoryMode(2 * US_PER_MIN, 1000 / US_PER_SEC).kind, 'bars');
  assert.equal(describeMode({ kind: 'bars', timeframeSec: 14400 }), '4h');
  assert.equal(describeMode({ kind: 'bars', timeframeSec: 30 }), '30s');
});

test('load plan: first view loads the day as 1m bars with one view of padding, clamped', () => {
  const day = { fromUs: 100 * US_PER_DAY, toUs: 101 * US_PER_DAY };
  const plan = planLoad(day, null, day, null);
  assert.deepEqual(plan, { mode: { kind: 'bars', timeframeSec: 60 }, fromUs: day.fromUs, toUs: day.toUs });
});

test('load plan: panning inside loaded data needs nothing; leaving it or zooming does', () => {
  const bounds = { fromUs: 0, toUs: 10 * US_PER_DAY };
  const view = { fromUs: 5 * US_PER_DAY, toUs: 5 * US_PER_DAY + 6 * US_PER_HOUR };
  const first = planLoad(view, null, bounds, null)!;
  assert.equal(first.mode.kind, 'bars');
  assert.equal(first.fromUs, view.fromUs - 6 * US_PER_HOUR);
  assert.equal(first.toUs, view.toUs + 6 * US_PER_HOUR);
  const loaded = { ...first };
  const panned = { fromUs: view.fromUs + US_PER_HOUR, toUs: view.toUs + US_PER_HOUR };
  assert.equal(planLoad(panned, loaded, bounds, 1e-6), null);
  const far = { fromUs: view.fromUs + 8 * US_PER_HOUR, toUs: view.toUs + 8 * US_PER_HOUR };
  assert.ok(planLoad(far, loaded, bounds, 1e-6));
  const zoomed = { fromUs: view.fromUs, toUs: view.fromUs + 5 * US_PER_MIN };
  const z = planLoad(zoomed, loaded, bounds, 1 / US_PER_SEC)!;
  assert.deepEqual(z.mode, { kind: 'ticks' }, '5 minutes at 1 tick/s is 300 ticks');
});

test('load plan: a view wholly outside the selection loads nothing', () => {
  const bounds = { fromUs: 0, toUs: US_PER_DAY };
  assert.equal(planLoad({ fromUs: 2 * US_PER_DAY, toUs: 3 * US_PER_DAY }, null, bounds, null), null);
});

test('only the newest request ticket is current', () => {
  const l = new LatestOnly();
  const a = l.begin();
  const b = l.begin();
  assert.equal(l.isLatest(a), false);
  assert.equal(l.isLatest(b), true);
  l.invalidate();
  assert.equal(l.isLatest(b), false);
});
