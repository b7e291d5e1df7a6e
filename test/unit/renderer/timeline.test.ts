// The calendar grid that makes an index-spaced chart proportional to time: aligned to the zone's
// wall clock, even in UTC across daylight-saving changes, skipping compressed gaps, and giving a
// real 116 s outage (Dukascopy ticks, 2022-05-27 07:45:27.697) about 116 s worth of indexes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { AxisUnit } from '../../../renderer/time/axisUnits.ts';
import {
  AXIS_UNITS,
  unitForSpan,
  US_PER_DAY,
  US_PER_HOUR,
  US_PER_MINUTE,
} from '../../../renderer/time/axisUnits.ts';
import { zoneOf } from '../../../renderer/time/zone.ts';
import {
  gridTimes,
  logicalOfTime,
  lowerBound,
  MAX_GRID_POINTS,
  mergeTimes,
  timeOfLogical,
} from '../../../renderer/charts/timeScale/timeline.ts';
import { intlWall } from '../../fixtures/explorer/intlClock.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
const usOf = (iso: string) => Date.parse(iso) * 1000;
const iso = (us: number) => new Date(us / 1000).toISOString();
const unit = (kind: AxisUnit['kind'], us: number) => {
  const u = AXIS_UNITS.find((x) => x.kind === kind && x.us === us);
  if (!u) throw new Error(`no ${kind} unit of ${us} µs`);
  return u;
};

/** Differences between consecutive instants that are not `step`, in words. */
function unevenSteps(times: readonly number[], step: number): string[] {
  const out: string[] = [];
  for (let i = 1; i < times.length; i++) {
    if (times[i] - times[i - 1] !== step) out.push(`${iso(times[i - 1])} -> ${iso(times[i])}`);
  }
  return out;
}

test('a sub-day grid in UTC is every multiple of the step inside the span, nothing else', () => {
  const from = usOf('2019-02-04T10:00:00Z') + 123_457;
  const to = from + 10 * US_PER_MINUTE;
  for (const u of [unit('ms', 500_000), unit('second', 5_000_000), unit('minute', US_PER_MINUTE)]) {
    const g = gridTimes(from, to, u, zoneOf('utc'));
    assert.ok(g.length > 0);
    assert.ok(g[0] >= from && g[0] - u.us < from, 'starts at the first multiple inside');
    assert.ok(g[g.length - 1] <= to && g[g.length - 1] + u.us > to, 'ends at the last multiple inside');
    assert.deepEqual(unevenSteps(g, u.us), []);
    for (const t of g) assert.equal(t % u.us, 0);
  }
  assert.deepEqual(
    gridTimes(to, from, unit('second', 1_000_000), zoneOf('utc')),
    [],
    'an empty span has no grid',
  );
});

test('a sub-day grid sits on the zone wall clock (Kolkata +05:30 puts hours at :30 UTC)', () => {
  const from = usOf('2019-02-04T00:00:00Z');
  const g = gridTimes(from, from + US_PER_DAY, unit('hour', US_PER_HOUR), zoneOf('Asia/Kolkata'));
  assert.equal(g.length, 24);
  for (const t of g) {
    const w = intlWall(t, 'Asia/Kolkata');
    assert.deepEqual([w.mi, w.s, w.ms, w.us], [0, 0, 0, 0], iso(t));
  }
  assert.deepEqual(unevenSteps(g, US_PER_HOUR), []);
});

test('across DST changes a sub-day grid stays evenly spaced in real time (no hole, no repeat)', () => {
  const problems: string[] = [];
  const cases: Array<[string, string, string]> = [
    ['America/New_York', '2024-03-10T04:00:00Z', '2024-03-10T10:00:00Z'], // spring forward
    ['America/New_York', '2024-11-03T03:00:00Z', '2024-11-03T09:00:00Z'], // fall back
    ['NY+7', '2024-03-10T04:00:00Z', '2024-03-10T10:00:00Z'],
    ['NY+7', '2024-11-03T03:00:00Z', '2024-11-03T09:00:00Z'],
    ['Europe/London', '2024-03-31T00:00:00Z', '2024-03-31T03:00:00Z'],
  ];
  for (const [zoneId, a, b] of cases) {
    for (const u of [
      unit('minute', 15 * US_PER_MINUTE),
      unit('minute', 30 * US_PER_MINUTE),
      unit('hour', US_PER_HOUR),
    ]) {
      const g = gridTimes(usOf(a), usOf(b), u, zoneOf(zoneId));
      for (const p of unevenSteps(g, u.us))
        problems.push(`${zoneId}, ${u.us / US_PER_MINUTE} min grid: ${p}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('day, month, quarter and year grids fall on the zone calendar, 23 h and 25 h days included', () => {
  const ny = zoneOf('America/New_York');
  const days = gridTimes(
    usOf('2024-03-05T12:00:00Z'),
    usOf('2024-03-15T12:00:00Z'),
    unit('day', US_PER_DAY),
    ny,
  );
  assert.equal(days.length, 10);
  for (const t of days) {
    const w = intlWall(t, 'America/New_York');
    assert.deepEqual([w.h, w.mi, w.s, w.ms], [0, 0, 0, 0], iso(t));
  }
  const lengths = days.slice(1).map((t, i) => (t - days[i]) / US_PER_HOUR);
  assert.deepEqual(lengths, [24, 24, 24, 24, 23, 24, 24, 24, 24], 'the spring-forward day is 23 h long');

  const months = AXIS_UNITS.filter((u) => u.kind === 'month' || u.kind === 'year');
  const expectMonths = [
    [
      '2019-03',
      '2019-04',
      '2019-05',
      '2019-06',
      '2019-07',
      '2019-08',
      '2019-09',
      '2019-10',
      '2019-11',
      '2019-12',
      '2020-01',
      '2020-02',
    ],
    ['2019-04', '2019-07', '2019-10', '2020-01'],
    ['2020-01'],
  ];
  for (const [k, u] of months.entries()) {
    for (const [zoneId, iana] of [
      ['utc', 'UTC'],
      ['UTC+02:00', 'Etc/GMT-2'],
      ['NY+7', 'America/New_York'],
    ]) {
      const g = gridTimes(usOf('2019-02-04T00:00:00Z'), usOf('2020-02-15T00:00:00Z'), u, zoneOf(zoneId));
      const names = g.map((t) => {
        const w = intlWall(zoneId === 'NY+7' ? t + 7 * US_PER_HOUR : t, iana);
        assert.deepEqual([w.d, w.h, w.mi, w.s, w.ms], [1, 0, 0, 0, 0], `${zoneId} ${iso(t)}`);
        return `${w.y}-${String(w.mo).padStart(2, '0')}`;
      });
      assert.deepEqual(names, expectMonths[k], `${zoneId}, ${u.months}-month grid`);
    }
  }
});

test('compressed gaps leave the grid out of their inside, and only there', () => {
  const from = usOf('2022-05-27T07:40:00Z');
  const to = usOf('2022-05-27T07:50:00Z');
  const gap = { fromUs: usOf('2022-05-27T07:45:27.697Z'), toUs: usOf('2022-05-27T07:47:23.723Z') };
  const u = unit('second', 1_000_000);
  const full = gridTimes(from, to, u, zoneOf('utc'));
  const skipped = gridTimes(from, to, u, zoneOf('utc'), [gap]);
  assert.ok(skipped.every((t) => !(t > gap.fromUs && t < gap.toUs)));
  assert.deepEqual(
    skipped,
    full.filter((t) => !(t > gap.fromUs && t < gap.toUs)),
  );
  assert.equal(full.length - skipped.length, 116, 'the 116 s inside the gap held 116 one-second points');
});

test('a grid too fine for its span is refused rather than built', () => {
  const from = usOf('2019-02-04T00:00:00Z');
  assert.throws(() => gridTimes(from, from + US_PER_DAY, unit('ms', 1000), zoneOf('utc')), RangeError);
  assert.ok(
    gridTimes(from, from + MAX_GRID_POINTS * 1000 - 1000, unit('ms', 1000), zoneOf('utc')).length <=
      MAX_GRID_POINTS + 1,
  );
});

test('mergeTimes is the sorted union with every value once; lowerBound finds the first >=', () => {
  const merged = mergeTimes([1, 3, 5, 5, 9], new Float64Array([2, 3, 10]), [], [0, 9]);
  assert.deepEqual([...merged], [0, 1, 2, 3, 5, 9, 10]);
  assert.equal(lowerBound(merged, -1), 0);
  assert.equal(lowerBound(merged, 3), 3);
  assert.equal(lowerBound(merged, 4), 4);
  assert.equal(lowerBound(merged, 10), 6);
  assert.equal(lowerBound(merged, 11), 7);
  assert.deepEqual([...mergeTimes()], []);
});

test('logicalOfTime and timeOfLogical invert each other, and extrapolate by the step past the ends', () => {
  const times = [100, 110, 130, 1000, 1001];
  const step = 10;
  assert.equal(logicalOfTime(times, 110, step), 1);
  assert.equal(logicalOfTime(times, 120, step), 1.5);
  assert.equal(logicalOfTime(times, 80, step), -2);
  assert.equal(logicalOfTime(times, 1021, step), 6);
  assert.equal(timeOfLogical(times, -2, step), 80);
  assert.equal(timeOfLogical(times, 6, step), 1021);
  for (let us = 60; us <= 1050; us += 7) {
    assert.ok(Math.abs(timeOfLogical(times, logicalOfTime(times, us, step), step) - us) < 1e-6, String(us));
  }
  assert.ok(Number.isNaN(timeOfLogical([], 1, step)));
});

/** Ticks of the Dukascopy fixture with a 116 s hole (an instrument priced near 7,190). */
function gapFixtureTicks(): number[] {
  const rows = JSON.parse(
    readFileSync(path.join(ROOT, 'test/fixtures/dukascopy/gaps-2022-05-27T07.json'), 'utf8'),
  ) as number[][];
  return rows.map((r) => Math.round(r[0] * 1000));
}

test('a 116 s hole in real ticks gets about 116 s worth of indexes on the proportional axis', () => {
  const ticks = gapFixtureTicks();
  const gapFrom = usOf('2022-05-27T07:45:27.697Z');
  const gapTo = usOf('2022-05-27T07:47:23.723Z');
  assert.ok(ticks.includes(gapFrom) && ticks.includes(gapTo), 'the fixture holds both ends of the gap');
  assert.ok(!ticks.some((t) => t > gapFrom && t < gapTo), 'and nothing inside it');
  for (const [a, b] of [
    ['2022-05-27T07:40:00Z', '2022-05-27T07:50:00Z'],
    ['2022-05-27T07:00:00Z', '2022-05-27T08:00:00Z'],
  ]) {
    const span = { fromUs: usOf(a), toUs: usOf(b) };
    const u = unitForSpan(span.toUs - span.fromUs, 2000);
    const times = mergeTimes(ticks, gridTimes(span.fromUs, span.toUs, u, zoneOf('utc')));
    const indexes = logicalOfTime(times, gapTo, u.us) - logicalOfTime(times, gapFrom, u.us);
    const expected = (gapTo - gapFrom) / u.us;
    assert.ok(
      Math.abs(indexes - expected) <= 1.5,
      `${a}..${b}, step ${u.us} µs: ${indexes} indexes for ${expected} steps`,
    );
    // The whole view is proportional too: index span / time span is the same before, in and after the gap.
    const before = logicalOfTime(times, gapFrom, u.us) - logicalOfTime(times, span.fromUs, u.us);
    const ratioBefore = before / ((gapFrom - span.fromUs) / u.us);
    assert.ok(
      ratioBefore >= 1 && ratioBefore < 1.6,
      `before the gap: ${ratioBefore.toFixed(2)} indexes per step (ticks add some)`,
    );

    // Compressed, the gap shrinks to about one step.
    const compressed = mergeTimes(
      ticks,
      gridTimes(span.fromUs, span.toUs, u, zoneOf('utc'), [{ fromUs: gapFrom, toUs: gapTo }]),
    );
    const narrow = logicalOfTime(compressed, gapTo, u.us) - logicalOfTime(compressed, gapFrom, u.us);
    assert.ok(narrow <= 1.0001, `compressed: ${narrow} indexes`);
  }
});

test('unitForSpan with the calendar grid keeps a day of real ticks within the grid limit', () => {
  for (const span of [US_PER_DAY, 7 * US_PER_DAY, 400 * US_PER_DAY, 7.4 * 365 * US_PER_DAY]) {
    const u = unitForSpan(span, 2000);
    const g = gridTimes(usOf('2019-02-04T00:00:00Z'), usOf('2019-02-04T00:00:00Z') + span, u, zoneOf('NY+7'));
    assert.ok(
      g.length >= 2 && g.length <= 2001,
      `${span / US_PER_DAY} days: ${g.length} points of ${u.kind}`,
    );
  }
});
