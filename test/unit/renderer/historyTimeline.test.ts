// History on calendar time: bars bucketed on the zone's days (folded from finer UTC bars where
// the engine's buckets do not line up), the grid that makes time proportional, and keyboard moves.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { barsFromTicks } from '../../../shared/bars.ts';
import { US_PER_DAY, US_PER_HOUR, US_PER_MIN, US_PER_SEC } from '../../../shared/time.ts';
import { formatDate, formatDateTimeMs, parseDateTimeInput } from '../../../renderer/format/time.ts';
import {
  GRID_STEPS_PER_VIEW,
  gridFor,
  regridFor,
  snapTicks,
  snapTimes,
  stepsForWidth,
} from '../../../renderer/history/historyTimeline.ts';
import { MIN_VIEW_US, navigate } from '../../../renderer/history/navigate.ts';
import {
  alignToBuckets,
  barRequestFor,
  foldBarsToZone,
  MAX_FOLD_BARS,
  zoneBucketStart,
} from '../../../renderer/history/zoneBars.ts';
import { zoneOf } from '../../../renderer/time/zone.ts';

const utcUs = (iso: string) => Date.parse(iso) * 1000;

/** Ticks every `stepUs` over [fromUs, toUs), a deterministic walk so OHLC differ per bucket. */
function ticks(fromUs: number, toUs: number, stepUs: number) {
  const tsUs: number[] = [];
  const bid: number[] = [];
  const ask: number[] = [];
  let p = 1.1;
  let k = 0;
  for (let t = fromUs; t < toUs; t += stepUs) {
    p += (((k * 7919) % 13) - 6) * 0.00001;
    k++;
    tsUs.push(t);
    bid.push(Math.round(p * 1e5) / 1e5);
    ask.push(Math.round((p + 0.00012) * 1e5) / 1e5);
  }
  return { tsUs, bid, ask };
}

/** The oracle: daily bid bars grouped by the zone's calendar date, straight from the ticks. */
function dailyByDate(t: ReturnType<typeof ticks>, zone: string) {
  const out = new Map<string, { open: number; high: number; low: number; close: number; count: number }>();
  for (let i = 0; i < t.tsUs.length; i++) {
    const day = formatDate(t.tsUs[i], zone);
    const b = out.get(day);
    const px = t.bid[i];
    if (!b) out.set(day, { open: px, high: px, low: px, close: px, count: 1 });
    else {
      b.high = Math.max(b.high, px);
      b.low = Math.min(b.low, px);
      b.close = px;
      b.count++;
    }
  }
  return out;
}

test('the engine answers daily bars itself in UTC; other zones fold them from bars that line up', () => {
  const from = utcUs('2024-03-01T00:00:00Z');
  const to = utcUs('2024-03-20T00:00:00Z');
  assert.deepEqual(barRequestFor(86400, zoneOf('utc'), from, to), {
    requestSec: 86400,
    fold: false,
    zoneAligned: true,
  });
  assert.deepEqual(barRequestFor(86400, zoneOf('UTC+02:00'), from, to), {
    requestSec: 3600,
    fold: true,
    zoneAligned: true,
  });
  // 4h buckets in UTC+2 start at 00, 04, 08 wall = 22, 02, 06 UTC: not UTC multiples of 4 h.
  assert.equal(barRequestFor(14400, zoneOf('UTC+02:00'), from, to).requestSec, 3600);
  // Hourly bars line up with any whole-hour offset, DST or not.
  assert.equal(barRequestFor(3600, zoneOf('NY+7'), from, to).fold, false);
  // Non-hour offsets need finer bars: +05:30 lines up with 30 minutes, +05:45 with 15.
  assert.equal(barRequestFor(86400, zoneOf('UTC+05:30'), from, to).requestSec, 1800);
  assert.equal(barRequestFor(3600, zoneOf('UTC+05:30'), from, to).requestSec, 1800);
  assert.equal(barRequestFor(86400, zoneOf('UTC+05:45'), from, to).requestSec, 900);
  // New York close crosses the US change to summer time on 2024-03-10: both offsets are seen.
  assert.equal(barRequestFor(86400, zoneOf('NY+7'), from, to).requestSec, 3600);
});

test('a span too wide to fold says the bars stay on UTC days', () => {
  const from = utcUs('2019-01-01T00:00:00Z');
  const to = from + 7 * 365 * US_PER_DAY;
  const r = barRequestFor(86400, zoneOf('UTC+05:45'), from, to);
  assert.ok((to - from) / (900 * US_PER_SEC) > MAX_FOLD_BARS);
  assert.deepEqual(r, { requestSec: 86400, fold: false, zoneAligned: false });
  // Hourly over seven years is still fine for a whole-hour zone.
  assert.deepEqual(barRequestFor(86400, zoneOf('UTC+02:00'), from, to), {
    requestSec: 3600,
    fold: true,
    zoneAligned: true,
  });
});

for (const zone of ['UTC+02:00', 'UTC+05:30', 'America/New_York']) {
  test(`daily bars folded from finer bars match bars built per ${zone} calendar day`, () => {
    const from = utcUs('2024-06-03T00:00:00Z');
    const t = ticks(from, from + 4 * US_PER_DAY, 7 * US_PER_MIN);
    const req = barRequestFor(86400, zoneOf(zone), from, from + 4 * US_PER_DAY);
    assert.equal(req.fold, true);
    const fine = barsFromTicks('X', req.requestSec, null, t.tsUs, t.bid, t.ask);
    const daily = foldBarsToZone(fine, 86400, zoneOf(zone));
    const want = dailyByDate(t, zone);
    assert.equal(daily.startUs.length, want.size);
    daily.startUs.forEach((start, i) => {
      // Every bar starts at the zone's midnight.
      assert.match(formatDateTimeMs(start, zone), / 00:00:00\.000$/);
      const w = want.get(formatDate(start, zone))!;
      assert.deepEqual(
        {
          open: daily.bid.open[i],
          high: daily.bid.high[i],
          low: daily.bid.low[i],
          close: daily.bid.close[i],
          count: daily.count[i],
        },
        w,
      );
      assert.ok(daily.ask.high[i] > daily.bid.high[i] && daily.mid.low[i] > daily.bid.low[i]);
    });
  });
}

test('New York close days are 23 h long on the spring change and 25 h on the autumn one', () => {
  const zone = zoneOf('NY+7');
  for (const [fromIso, toIso, short] of [
    ['2024-03-07T00:00:00Z', '2024-03-13T00:00:00Z', 23],
    ['2024-10-31T00:00:00Z', '2024-11-06T00:00:00Z', 25],
  ] as const) {
    const from = utcUs(fromIso);
    const to = utcUs(toIso);
    const t = ticks(from, to, 10 * US_PER_MIN);
    const daily = foldBarsToZone(barsFromTicks('X', 3600, null, t.tsUs, t.bid, t.ask), 86400, zone);
    const counts = daily.count.slice(1, -1); // the first and last day are cut by the span
    assert.ok(counts.includes(short * 6), `${fromIso}: ${counts.join(',')}`);
    assert.equal(counts.filter((c) => c !== 144).length, 1, `${fromIso}: one odd day, ${counts.join(',')}`);
    // NY close midnight is 17:00 in New York: 22:00 UTC in winter, 21:00 UTC in summer.
    const hours = new Set(daily.startUs.map((s) => new Date(s / 1000).getUTCHours()));
    assert.deepEqual([...hours].sort(), [21, 22]);
  }
});

test('4h bars in a DST zone: the bucket holding the repeated autumn hour is 5 h long, starts increase', () => {
  const zone = zoneOf('America/New_York');
  const from = utcUs('2024-11-02T00:00:00Z');
  const t = ticks(from, from + 2 * US_PER_DAY, 10 * US_PER_MIN);
  const bars = foldBarsToZone(barsFromTicks('X', 3600, null, t.tsUs, t.bid, t.ask), 14400, zone);
  for (let i = 1; i < bars.startUs.length; i++) assert.ok(bars.startUs[i] > bars.startUs[i - 1]);
  // 00:00-04:00 New York on 2024-11-03 holds 01:00-02:00 twice.
  const i = bars.startUs.indexOf(parseDateTimeInput('2024-11-03 00:00', 'America/New_York')!);
  assert.ok(i >= 0);
  assert.equal(bars.count[i], 5 * 6);
  const total = bars.count.reduce((a, b) => a + b, 0);
  assert.equal(total, t.tsUs.length, 'no tick lost or counted twice');
});

test('requests are widened to whole buckets so edge bars are not cut short', () => {
  const zone = zoneOf('UTC+02:00');
  const span = { fromUs: utcUs('2024-06-03T10:17:00Z'), toUs: utcUs('2024-06-05T03:00:00Z') };
  const fold = barRequestFor(86400, zone, span.fromUs, span.toUs);
  const a = alignToBuckets(span, 86400, zone, fold);
  assert.equal(formatDateTimeMs(a.fromUs, 'UTC+02:00'), '2024-06-03 00:00:00.000');
  assert.equal(formatDateTimeMs(a.toUs, 'UTC+02:00'), '2024-06-06 00:00:00.000');
  const utc = alignToBuckets(
    span,
    3600,
    zoneOf('utc'),
    barRequestFor(3600, zoneOf('utc'), span.fromUs, span.toUs),
  );
  assert.deepEqual(utc, { fromUs: utcUs('2024-06-03T10:00:00Z'), toUs: span.toUs });
  assert.equal(zoneBucketStart(utcUs('2024-06-03T21:59:59Z'), 86400, zone), utcUs('2024-06-02T22:00:00Z'));
  assert.equal(zoneBucketStart(utcUs('2024-06-03T22:00:00Z'), 86400, zone), utcUs('2024-06-03T22:00:00Z'));
});

test('the grid gives the view about 1.5 steps a pixel and reaches half a view either side', () => {
  const loaded = { fromUs: 0, toUs: US_PER_DAY };
  const view = { fromUs: 10 * US_PER_HOUR, toUs: 11 * US_PER_HOUR };
  const want = stepsForWidth(1400);
  assert.equal(want, 2100);
  assert.equal(stepsForWidth(100), 600, 'a narrow chart still gets a usable grid');
  assert.equal(stepsForWidth(4000), GRID_STEPS_PER_VIEW, 'capped');
  const g = gridFor(view, loaded, want);
  const steps = (view.toUs - view.fromUs) / g.unit.us;
  assert.ok(steps <= want && steps >= want / 2.5, `${steps} steps`);
  assert.deepEqual(g.span, { fromUs: 9.5 * US_PER_HOUR, toUs: 11.5 * US_PER_HOUR });
  // Clamped to what is loaded.
  assert.deepEqual(gridFor({ fromUs: 0, toUs: US_PER_HOUR }, loaded).span, {
    fromUs: 0,
    toUs: 1.5 * US_PER_HOUR,
  });
  // A sub-second view gets a step finer than a millisecond.
  assert.ok(gridFor({ fromUs: 1000, toUs: 1000 + 200_000 }, loaded).unit.us < 1000);
});

test('ticks sit on the grid: each instant shows the quote standing then, exact where the grid is finer', () => {
  const grid = [0, 10, 20, 30];
  assert.deepEqual([...snapTimes([-5, 0, 1, 9, 10, 11, 30, 31], grid)], [0, 0, 10, 10, 10, 20, 30, NaN]);
  const t = {
    tsUs: [1, 4, 12, 35],
    bid: [1, 2, 3, 4],
    ask: [2, 3, 4, 5],
    source: ['A', 'B', 'A', 'A'],
    bidSize: [null, 5, null, null],
    askSize: [null, null, null, null],
  };
  const on = snapTicks(t, grid);
  assert.deepEqual(on.tsUs, [10, 10, 20], 'the tick past the grid is left out');
  assert.deepEqual(on.source, ['A', 'B', 'A']);
  assert.deepEqual(on.bidSize, [null, 5, null]);
  // Of each source only its last tick per grid instant is kept (what its step line shows).
  const busy = snapTicks(
    {
      tsUs: [1, 2, 3, 5, 11],
      bid: [1, 2, 3, 4, 5],
      ask: [2, 3, 4, 5, 6],
      source: ['A', 'B', 'A', 'A', 'B'],
      bidSize: [1, 2, 3, null, 5],
      askSize: [null, null, null, null, null],
    },
    grid,
  );
  assert.deepEqual(busy.tsUs, [10, 10, 20]);
  assert.deepEqual(busy.source, ['A', 'B', 'B']);
  assert.deepEqual(busy.bid, [4, 2, 5], 'A at 10 is its tick at 5, the last before 10');
  assert.deepEqual(busy.bidSize, [null, 2, 5]);
  // Ticks at whole ms on a 100 µs grid keep their own times.
  const fine = Array.from({ length: 50 }, (_, i) => 1_000_000 + i * 100);
  assert.deepEqual(
    [...snapTimes([1_000_000, 1_002_000, 1_004_900], fine)],
    [1_000_000, 1_002_000, 1_004_900],
  );
});

test('a re-grid happens when the step leaves its band or a pan leaves the gridded span', () => {
  const loaded = { fromUs: 0, toUs: US_PER_DAY };
  const view = { fromUs: 10 * US_PER_HOUR, toUs: 11 * US_PER_HOUR };
  const steps = 2000;
  const g = gridFor(view, loaded, steps);
  assert.equal(regridFor(view, loaded, g, steps), null);
  const panned = { fromUs: view.fromUs + US_PER_HOUR / 4, toUs: view.toUs + US_PER_HOUR / 4 };
  assert.equal(regridFor(panned, loaded, g, steps), null, 'still inside the gridded span');
  const far = { fromUs: view.fromUs + US_PER_HOUR, toUs: view.toUs + US_PER_HOUR };
  assert.ok(regridFor(far, loaded, g, steps));
  // Zooming in 2x keeps the grid (fewer steps in view, still enough); 8x does not.
  const centre = (view.fromUs + view.toUs) / 2;
  const zoom = (f: number) => ({
    fromUs: centre - US_PER_HOUR / (2 * f),
    toUs: centre + US_PER_HOUR / (2 * f),
  });
  assert.equal(regridFor(zoom(2), loaded, g, steps), null);
  assert.ok(regridFor(zoom(8), loaded, g, steps)!.unit.us < g.unit.us);
  // Zooming out until the view holds too many steps lays a coarser grid.
  assert.ok(regridFor(zoom(1 / 4), loaded, g, steps)!.unit.us > g.unit.us);
  assert.ok(regridFor(view, loaded, null, steps));
});

test('keyboard moves: zoom around the centre, pan a tenth, Home and End, inside the selection', () => {
  const bounds = { fromUs: 0, toUs: 1000 * US_PER_SEC };
  const view = { fromUs: 400 * US_PER_SEC, toUs: 600 * US_PER_SEC };
  assert.deepEqual(navigate(view, 'zoomIn', bounds), { fromUs: 450 * US_PER_SEC, toUs: 550 * US_PER_SEC });
  assert.deepEqual(navigate(view, 'zoomOut', bounds), { fromUs: 300 * US_PER_SEC, toUs: 700 * US_PER_SEC });
  assert.deepEqual(navigate(view, 'panLeft', bounds), { fromUs: 380 * US_PER_SEC, toUs: 580 * US_PER_SEC });
  assert.deepEqual(navigate(view, 'panRight', bounds), { fromUs: 420 * US_PER_SEC, toUs: 620 * US_PER_SEC });
  assert.deepEqual(navigate(view, 'home', bounds), { fromUs: 0, toUs: 200 * US_PER_SEC });
  assert.deepEqual(navigate(view, 'end', bounds), { fromUs: 800 * US_PER_SEC, toUs: 1000 * US_PER_SEC });
  // Zooming out past the selection shows the selection; panning stops at its edges.
  assert.deepEqual(navigate({ fromUs: 100, toUs: 900 * US_PER_SEC }, 'zoomOut', bounds), bounds);
  assert.deepEqual(navigate({ fromUs: 10 * US_PER_SEC, toUs: 210 * US_PER_SEC }, 'panLeft', bounds), {
    fromUs: 0,
    toUs: 200 * US_PER_SEC,
  });
  const tiny = navigate({ fromUs: 500, toUs: 500 + MIN_VIEW_US }, 'zoomIn', bounds);
  assert.equal(tiny.toUs - tiny.fromUs, MIN_VIEW_US, 'never narrower than the minimum');
});
