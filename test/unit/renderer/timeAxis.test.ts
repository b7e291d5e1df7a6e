// The time axis' units, weights and label texts. Labels are generated for a grid at every zoom
// from seven years down to microseconds, in several zones, and read back independently
// (fixtures/explorer/axisLabelCheck.ts parses each text and compares it with Intl's wall clock).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AxisContext } from '../../../renderer/time/axisLabel.ts';
import {
  axisLabel,
  crossesYear,
  MAX_AXIS_LABEL_CHARS,
  maxLabelChars,
} from '../../../renderer/time/axisLabel.ts';
import {
  AXIS_UNITS,
  DAY_WEIGHT,
  MONTH_WEIGHT,
  unitForSpan,
  unitOfWeight,
  US_PER_DAY,
  US_PER_HOUR,
  US_PER_MINUTE,
  US_PER_SECOND,
  weightOf,
  YEAR_WEIGHT,
} from '../../../renderer/time/axisUnits.ts';
import { zoneOf } from '../../../renderer/time/zone.ts';
import { gridTimes } from '../../../renderer/charts/timeScale/timeline.ts';
import { labelProblems, parseAxisLabel } from '../../fixtures/explorer/axisLabelCheck.ts';
import { intlWall } from '../../fixtures/explorer/intlClock.ts';

const usOf = (iso: string) => Date.parse(iso) * 1000;
const YEAR_US = 365.25 * US_PER_DAY;

/** Tickscope zone id → IANA name for Intl (NY+7 has none: it is checked through New York). */
const ZONES: Array<[string, string]> = [
  ['utc', 'UTC'],
  ['UTC+02:00', 'Etc/GMT-2'],
  ['Asia/Kolkata', 'Asia/Kolkata'],
  ['America/New_York', 'America/New_York'],
];

/** Grid steps the calendar axis asks for (renderer/charts/timeScale/calendarAxis.ts). */
const GRID_STEPS = 2000;
/** About how many labels a 1400 px axis shows (8-12 character labels, 60-90 px apart). */
const LABELS_PER_VIEW = 16;

const ZOOMS: Array<[string, number]> = [
  ['7 years', 7.4 * YEAR_US],
  ['2 years', 2 * YEAR_US],
  ['400 days', 400 * US_PER_DAY],
  ['90 days', 90 * US_PER_DAY],
  ['14 days', 14 * US_PER_DAY],
  ['3 days', 3 * US_PER_DAY],
  ['1 day', US_PER_DAY],
  ['6 hours', 6 * US_PER_HOUR],
  ['1 hour', US_PER_HOUR],
  ['10 minutes', 10 * US_PER_MINUTE],
  ['1 minute', US_PER_MINUTE],
  ['10 seconds', 10 * US_PER_SECOND],
  ['2 seconds', 2 * US_PER_SECOND],
  ['500 ms', 500_000],
  ['50 ms', 50_000],
  ['5 ms', 5_000],
  ['500 µs', 500],
  ['50 µs', 50],
  ['10 µs', 10],
];

/** Views of a zoom: on a London-session Monday, and centred on New Year (UTC). */
function viewsOf(spanUs: number): Array<{ fromUs: number; toUs: number }> {
  const monday = usOf('2019-02-04T10:00:00Z') + 123_456_789;
  const newYear = usOf('2025-01-01T00:00:00Z');
  return [
    { fromUs: monday, toUs: monday + spanUs },
    { fromUs: newYear - Math.round(spanUs / 2), toUs: newYear + Math.round(spanUs / 2) },
  ];
}

function contextOf(view: { fromUs: number; toUs: number }, zoneId: string): AxisContext {
  const spanUs = view.toUs - view.fromUs;
  return {
    spanUs,
    crossesYear: crossesYear(view.fromUs, view.toUs, zoneOf(zoneId)),
    gridStepUs: unitForSpan(spanUs, GRID_STEPS).us,
  };
}

test('units run from a microsecond to a year, and weights rank year > month > day > hours > ... > µs', () => {
  for (let i = 1; i < AXIS_UNITS.length; i++) assert.ok(AXIS_UNITS[i].us > AXIS_UNITS[i - 1].us, `unit ${i}`);
  assert.equal(AXIS_UNITS[0].kind, 'us');
  assert.equal(AXIS_UNITS[0].us, 1);
  assert.equal(unitOfWeight(YEAR_WEIGHT)?.kind, 'year');
  assert.equal(unitOfWeight(DAY_WEIGHT)?.kind, 'day');
  assert.equal(unitOfWeight(MONTH_WEIGHT)?.kind, 'month');
  assert.equal(unitOfWeight(0), null);
  const utc = zoneOf('utc');
  // One instant aligned to each level, coarsest first: every weight is below the one before.
  const ladder = [
    '2024-01-01T00:00:00Z', // year
    '2024-04-01T00:00:00Z', // quarter
    '2024-02-01T00:00:00Z', // month
    '2024-02-05T00:00:00Z', // day
    '2024-02-05T12:00:00Z', // 12 h
    '2024-02-05T06:00:00Z', // 6 h
    '2024-02-05T03:00:00Z', // 3 h
    '2024-02-05T02:00:00Z', // 2 h
    '2024-02-05T01:00:00Z', // 1 h
    '2024-02-05T00:30:00Z', // 30 min
    '2024-02-05T00:15:00Z', // 15 min
    '2024-02-05T00:10:00Z', // 10 min
    '2024-02-05T00:05:00Z', // 5 min
    '2024-02-05T00:02:00Z', // 2 min
    '2024-02-05T00:01:00Z', // 1 min
    '2024-02-05T00:00:30Z', // 30 s
    '2024-02-05T00:00:15Z', // 15 s
    '2024-02-05T00:00:10Z', // 10 s
    '2024-02-05T00:00:05Z', // 5 s
    '2024-02-05T00:00:02Z', // 2 s
    '2024-02-05T00:00:01Z', // 1 s
    '2024-02-05T00:00:00.500Z',
    '2024-02-05T00:00:00.200Z',
    '2024-02-05T00:00:00.100Z',
    '2024-02-05T00:00:00.050Z',
    '2024-02-05T00:00:00.020Z',
    '2024-02-05T00:00:00.010Z',
    '2024-02-05T00:00:00.005Z',
    '2024-02-05T00:00:00.002Z',
    '2024-02-05T00:00:00.001Z',
  ].map(usOf);
  const base = usOf('2024-02-05T00:00:00Z');
  ladder.push(...[500, 200, 100, 50, 20, 10, 5, 2, 1].map((us) => base + us));
  const weights = ladder.map((us) => weightOf(us, utc));
  assert.equal(weights[0], YEAR_WEIGHT);
  assert.equal(weights[3], DAY_WEIGHT);
  assert.equal(weights[weights.length - 1], 1);
  for (let i = 1; i < weights.length; i++) {
    assert.ok(
      weights[i] < weights[i - 1],
      `weight of ${ladder[i]} (${weights[i]}) < weight of ${ladder[i - 1]} (${weights[i - 1]})`,
    );
  }
});

test("an instant's weight is read on the zone's wall clock", () => {
  const newYearUtc = usOf('2024-01-01T00:00:00Z');
  assert.equal(weightOf(newYearUtc, zoneOf('utc')), YEAR_WEIGHT);
  // 02:00 in UTC+2 and NY+7 (winter), 05:30 in Kolkata.
  const twoHours = AXIS_UNITS.findIndex((u) => u.kind === 'hour' && u.us === 2 * US_PER_HOUR) + 1;
  const halfHour = AXIS_UNITS.findIndex((u) => u.kind === 'minute' && u.us === 30 * US_PER_MINUTE) + 1;
  assert.equal(weightOf(newYearUtc, zoneOf('UTC+02:00')), twoHours);
  assert.equal(weightOf(newYearUtc, zoneOf('NY+7')), twoHours);
  assert.equal(weightOf(newYearUtc, zoneOf('Asia/Kolkata')), halfHour);
  assert.equal(weightOf(usOf('2023-12-31T22:00:00Z'), zoneOf('UTC+02:00')), YEAR_WEIGHT);
  assert.equal(weightOf(usOf('2023-12-31T22:00:00Z'), zoneOf('NY+7')), YEAR_WEIGHT);
  assert.equal(
    weightOf(usOf('2024-06-30T21:00:00Z'), zoneOf('NY+7')),
    MONTH_WEIGHT + 1,
    'NY+7 is UTC+3 in July',
  );
  assert.equal(weightOf(usOf('2023-12-31T18:30:00Z'), zoneOf('Asia/Kolkata')), YEAR_WEIGHT);

  // Against Intl's wall clock for arbitrary instants: the coarsest step the wall time sits on.
  let x = 4242;
  for (const [id, iana] of ZONES) {
    const zone = zoneOf(id);
    for (let i = 0; i < 300; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      // Instants on round steps, so every weight level is hit.
      const step = AXIS_UNITS[x % (AXIS_UNITS.length - 3)].us;
      const us = Math.round((usOf('2019-01-01T00:00:00Z') + (x / 2 ** 31) * 8 * YEAR_US) / step) * step;
      const w = intlWall(us, iana);
      const tod = (((w.h * 60 + w.mi) * 60 + w.s) * 1000 + w.ms) * 1000 + w.us;
      let expected: number;
      if (tod === 0)
        expected =
          w.d !== 1
            ? DAY_WEIGHT
            : w.mo === 1
              ? YEAR_WEIGHT
              : (w.mo - 1) % 3 === 0
                ? MONTH_WEIGHT + 1
                : MONTH_WEIGHT;
      else
        expected = AXIS_UNITS.reduce(
          (best, u, k) => (u.kind !== 'day' && u.us < US_PER_DAY && tod % u.us === 0 ? k + 1 : best),
          0,
        );
      assert.equal(
        weightOf(us, zone),
        expected,
        `${id} at ${new Date(us / 1000).toISOString()} (+${us % 1000} µs)`,
      );
    }
  }
});

test('unitForSpan picks the finest step that stays within the asked number of steps', () => {
  for (const [, span] of ZOOMS) {
    for (const steps of [10, GRID_STEPS]) {
      const u = unitForSpan(span, steps);
      const i = AXIS_UNITS.indexOf(u);
      assert.ok(span / u.us <= steps || i === AXIS_UNITS.length - 1, `${span} µs / ${steps}`);
      if (i > 0) assert.ok(span / AXIS_UNITS[i - 1].us > steps, `${span} µs / ${steps}: a finer unit fits`);
    }
  }
});

test('labels never exceed the longest the chart is told to expect', () => {
  assert.equal(MAX_AXIS_LABEL_CHARS, 16);
  for (const [id] of ZONES) {
    for (const [name, span] of ZOOMS) {
      for (const view of viewsOf(span)) {
        const ctx = contextOf(view, id);
        assert.ok(maxLabelChars(ctx) <= MAX_AXIS_LABEL_CHARS, `${name}: maxLabelChars ${maxLabelChars(ctx)}`);
      }
    }
  }
});

test('grid labels at every zoom, in every zone: exact, unique, short, with the context the zoom needs', () => {
  const failures: string[] = [];
  for (const [id, iana] of ZONES) {
    const zone = zoneOf(id);
    for (const [name, span] of ZOOMS) {
      for (const view of viewsOf(span)) {
        const ctx = contextOf(view, id);
        const unit = unitForSpan(span, LABELS_PER_VIEW);
        const labels = gridTimes(view.fromUs, view.toUs, unit, zone).map((timeUs) => ({
          timeUs,
          text: axisLabel(timeUs, weightOf(timeUs, zone), zone, ctx),
        }));
        const where = `${id}, ${name} from ${new Date(view.fromUs / 1000).toISOString()}`;
        if (labels.length < 3) failures.push(`${where}: only ${labels.length} grid labels`);
        // Grid points are aligned: their labels must be exact (tolerance 0).
        const max = Math.min(MAX_AXIS_LABEL_CHARS, maxLabelChars(ctx));
        for (const p of labelProblems(labels, { timeZone: iana, maxChars: max, view, toleranceUs: 0 })) {
          failures.push(`${where}: ${p}`);
        }
        const parsed = labels.map((l) => parseAxisLabel(l.text));
        if (
          span < US_PER_SECOND &&
          !parsed.some((p) => p && (p.precision === 'ms' || p.precision === 'us'))
        ) {
          failures.push(
            `${where}: no label shows .mmm below a second (${labels.map((l) => l.text).join(' ')})`,
          );
        }
        if (span < US_PER_DAY) {
          // Hours always: only a midnight (a date or year mark) may go without them.
          for (const [k, p] of parsed.entries()) {
            if (
              p &&
              !p.hasTime &&
              intlWall(labels[k].timeUs, iana).h + intlWall(labels[k].timeUs, iana).mi !== 0
            ) {
              failures.push(`${where}: ${labels[k].text} has no hours`);
            }
          }
        }
        if (span >= 2 * US_PER_DAY) {
          for (const [k, p] of parsed.entries()) {
            if (p && p.hasTime && !p.hasDate) failures.push(`${where}: ${labels[k].text} has no date`);
          }
        }
        if (span >= 300 * US_PER_DAY) {
          for (const [k, p] of parsed.entries()) {
            if (p && !p.hasYear) failures.push(`${where}: ${labels[k].text} has no year`);
          }
        }
        if (ctx.crossesYear && !parsed.some((p) => p?.hasYear)) {
          failures.push(
            `${where}: the view crosses a year but no label says which (${labels.map((l) => l.text).join(' ')})`,
          );
        }
      }
    }
  }
  assert.deepEqual(failures, []);
});

test('NY+7 labels read as UTC+2 in winter and UTC+3 in US summer', () => {
  const zone = zoneOf('NY+7');
  const failures: string[] = [];
  for (const [iso, iana] of [
    ['2024-01-15T00:00:00Z', 'Etc/GMT-2'],
    ['2024-07-15T00:00:00Z', 'Etc/GMT-3'],
  ] as const) {
    for (const span of [US_PER_DAY, US_PER_HOUR, US_PER_MINUTE, US_PER_SECOND]) {
      const view = { fromUs: usOf(iso) + 7 * US_PER_HOUR, toUs: usOf(iso) + 7 * US_PER_HOUR + span };
      const ctx = contextOf(view, 'NY+7');
      const labels = gridTimes(view.fromUs, view.toUs, unitForSpan(span, LABELS_PER_VIEW), zone).map(
        (timeUs) => ({
          timeUs,
          text: axisLabel(timeUs, weightOf(timeUs, zone), zone, ctx),
        }),
      );
      const max = Math.min(MAX_AXIS_LABEL_CHARS, maxLabelChars(ctx));
      for (const p of labelProblems(labels, { timeZone: iana, maxChars: max, view, toleranceUs: 0 })) {
        failures.push(`${iso} span ${span}: ${p}`);
      }
    }
  }
  assert.deepEqual(failures, []);
});

test("a tick's own label (weight 0) fits the view's label length and is exact to the grid step", () => {
  const failures: string[] = [];
  let x = 777;
  for (const [id, iana] of ZONES) {
    const zone = zoneOf(id);
    for (const [name, span] of ZOOMS) {
      for (const view of viewsOf(span)) {
        const ctx = contextOf(view, id);
        for (let i = 0; i < 20; i++) {
          x = (x * 1103515245 + 12345) % 2 ** 31;
          const timeUs = view.fromUs + Math.floor((x / 2 ** 31) * span);
          const label = { timeUs, text: axisLabel(timeUs, 0, zone, ctx) };
          const max = Math.min(MAX_AXIS_LABEL_CHARS, maxLabelChars(ctx));
          for (const p of labelProblems([label], {
            timeZone: iana,
            maxChars: max,
            view,
            toleranceUs: ctx.gridStepUs,
          })) {
            failures.push(`${id}, ${name} (grid step ${ctx.gridStepUs} µs): ${p}`);
          }
        }
      }
    }
  }
  // One line per zoom and zone is enough to read.
  assert.deepEqual(
    [...new Set(failures.map((f) => f.replace(/label ".*/, '')))].slice(0, 20),
    [],
    failures.slice(0, 5).join('\n'),
  );
});

test('labels are formatted from the instant they are given, whatever was labelled before', () => {
  const utc = zoneOf('utc');
  const ctx: AxisContext = { spanUs: US_PER_MINUTE, crossesYear: false, gridStepUs: 50_000 };
  const a = usOf('2019-02-04T10:00:30Z');
  const b = usOf('2023-02-20T12:00:30Z');
  const first = axisLabel(a, weightOf(a, utc), utc, ctx);
  const second = axisLabel(b, weightOf(b, utc), utc, ctx);
  assert.equal(first, '10:00:30');
  assert.equal(second, '12:00:30');
  assert.equal(axisLabel(a, weightOf(a, utc), utc, ctx), first);
  // The zone changes the text of the same instant.
  assert.equal(axisLabel(a, weightOf(a, zoneOf('UTC+02:00')), zoneOf('UTC+02:00'), ctx), '12:00:30');
  assert.equal(axisLabel(a, weightOf(a, zoneOf('Asia/Kolkata')), zoneOf('Asia/Kolkata'), ctx), '15:30:30');
});
