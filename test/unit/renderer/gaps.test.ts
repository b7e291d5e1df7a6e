import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { IPrimitivePaneRenderer } from 'lightweight-charts';
import { feedEvent } from '../../../shared/feeds/feedEvents.ts';
import type { FeedEvent } from '../../../shared/feeds/feedEvents.ts';
import type { ChartGap } from '../../../renderer/charts/gaps/chartGap.ts';
import { gapsFromFeedEvents } from '../../../renderer/charts/gaps/feedEventGaps.ts';
import { findTickGaps, learnNormalSpacingUs } from '../../../renderer/charts/gaps/gapFinder.ts';
import { gapSpans, MIN_SPAN_PX } from '../../../renderer/charts/gaps/gapGeometry.ts';
import { DEFAULT_GAP_COLOURS, GapOverlay } from '../../../renderer/charts/gaps/gapOverlay.ts';
import { describeGap, formatGapDuration } from '../../../renderer/charts/gaps/gapText.ts';
import { mergeGaps } from '../../../renderer/charts/gaps/mergeGaps.ts';

const FIXTURES = new URL('../../fixtures/dukascopy/', import.meta.url);
const SEC = 1_000_000;

function fixtureTimesUs(name: string): Float64Array {
  let raw = readFileSync(new URL(name, FIXTURES));
  if (name.endsWith('.gz')) raw = gunzipSync(raw);
  const rows = JSON.parse(raw.toString('utf8')) as number[][];
  return Float64Array.from(rows, (r) => r[0] * 1000);
}

/** Every interval longer than thresholdUs, the slow obvious way. */
function longIntervals(ts: ArrayLike<number>, thresholdUs: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 1; i < ts.length; i++) if (ts[i] - ts[i - 1] > thresholdUs) out.push([ts[i - 1], ts[i]]);
  return out;
}

const spans = (gaps: ChartGap[]) => gaps.map((g) => [g.fromUs, g.toUs]);

// ---- findTickGaps -------------------------------------------------------------------------------

test('the 116 s gap of the sparse instrument is found, and little else', () => {
  const ts = fixtureTimesUs('gaps-2022-05-27T07.json');
  const thr = learnNormalSpacingUs(ts);
  assert.ok(thr > 20 * SEC && thr < 116 * SEC, `threshold ${thr} µs sits between its pauses and the gap`);
  const gaps = findTickGaps(ts);
  const from = Date.UTC(2022, 4, 27, 7, 45, 27, 697) * 1000;
  const big = gaps.find((g) => g.fromUs === from);
  assert.ok(big, 'gap at 07:45:27.697 UTC flagged');
  assert.equal(big.toUs - big.fromUs, 116_026_000);
  assert.equal(big.cause, 'no-ticks');
  assert.ok(gaps.length <= 5, `${gaps.length} gaps in an hour of 380 ticks`);
  assert.deepEqual(spans(gaps), longIntervals(ts, thr), 'exactly the intervals above the threshold');
  assert.equal(
    describeGap(big, 'utc'),
    [
      'from 2022-05-27 07:45:27.697',
      'to 2022-05-27 07:47:23.723',
      '1 min 56.026 s',
      `no ticks (normal spacing here ≤ ${formatGapDuration(Math.ceil(thr / 100_000) * 100_000)})`,
    ].join('\n'),
  );
});

test('a whole EURUSD day: every night gap over a minute, no flood of ordinary pauses', () => {
  const ts = fixtureTimesUs('eurusd-2019-02-04.json.gz');
  assert.ok(ts.length > 130_000);
  const t0 = performance.now();
  const gaps = findTickGaps(ts);
  const ms = performance.now() - t0;
  console.log(`findTickGaps: ${ts.length} ticks in ${ms.toFixed(1)} ms, ${gaps.length} gaps`);
  const overMinute = longIntervals(ts, 60 * SEC);
  assert.equal(overMinute.length, 3, 'the fixture has three pauses over 60 s');
  for (const [a, b] of overMinute) {
    assert.ok(
      gaps.some((g) => g.fromUs === a && g.toUs === b),
      `gap ${new Date(a / 1000).toISOString()} flagged`,
    );
  }
  // Thousands of the day's pauses are over 5 s and hundreds over 10 s; a handful per hour at most.
  assert.ok(longIntervals(ts, 10 * SEC).length > 400, 'the fixture is as noisy as claimed');
  assert.ok(gaps.length >= 3 && gaps.length <= 100, `${gaps.length} gaps flagged`);
  const londonNewYork = gaps.filter((g) => {
    const h = new Date(g.fromUs / 1000).getUTCHours();
    return h >= 7 && h < 17;
  });
  assert.ok(londonNewYork.length <= 2, `${londonNewYork.length} gaps flagged in the busy session`);
  assert.ok(ms < 500, `O(n): ${ms.toFixed(1)} ms`);
});

test('a weekend in the view is flagged without moving the threshold', () => {
  const day = fixtureTimesUs('eurusd-2019-02-04.json.gz');
  const half = day.length >> 1;
  const withWeekend = Float64Array.from(day, (t, i) => (i >= half ? t + 48 * 3600 * SEC : t));
  const plain = learnNormalSpacingUs(day);
  const shifted = learnNormalSpacingUs(withWeekend);
  assert.ok(Math.abs(shifted - plain) / plain < 0.05, `${plain} vs ${shifted}`);
  const weekend = findTickGaps(withWeekend).filter((g) => g.toUs - g.fromUs > 47 * 3600 * SEC);
  assert.deepEqual(spans(weekend), [[withWeekend[half - 1], withWeekend[half]]]);
});

test('a threshold learned on a wide window is kept by a zoomed view', () => {
  const ts = fixtureTimesUs('gaps-2022-05-27T07.json');
  const thresholdUs = learnNormalSpacingUs(ts);
  const zoom = ts.subarray(150, 260);
  const zoomed = findTickGaps(zoom, { thresholdUs, source: 'dukascopy' });
  const wide = findTickGaps(ts).filter((g) => g.fromUs >= zoom[0] && g.toUs <= zoom[zoom.length - 1]);
  assert.deepEqual(spans(zoomed), spans(wide));
  assert.ok(zoomed.length > 0, 'the zoom holds a gap');
  assert.ok(zoomed.every((g) => g.source === 'dukascopy'));
});

test('fast symbols: the floor keeps short hiccups out; few ticks use a median multiple', () => {
  const fast: number[] = [];
  let t = 1_700_000_000 * SEC;
  for (let i = 0; i < 2000; i++) {
    t += i === 500 ? 3 * SEC : i === 1500 ? 6 * SEC : 100_000;
    fast.push(t);
  }
  assert.equal(learnNormalSpacingUs(fast), 5 * SEC, 'floor of 5 s');
  assert.deepEqual(spans(findTickGaps(fast)), [[fast[1499], fast[1500]]]);
  assert.equal(learnNormalSpacingUs(fast, { floorUs: 2 * SEC }), 2 * SEC);

  const few = [0, 1, 2, 3, 4, 5, 65].map((s) => s * SEC);
  const thr = learnNormalSpacingUs(few);
  assert.ok(thr >= 9 * SEC && thr <= 11 * SEC, `ten times the median 1 s spacing: ${thr}`);
  assert.deepEqual(spans(findTickGaps(few)), [[5 * SEC, 65 * SEC]]);
});

test('degenerate views: none or one tick, same-time and out-of-order ticks', () => {
  assert.deepEqual(findTickGaps([]), []);
  assert.deepEqual(findTickGaps([5]), []);
  assert.deepEqual(findTickGaps([5, 5, 5]), []);
  // A late tick stamped earlier must not make the next one look like it ends a long pause.
  const ts = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22].map(
    (s) => s * SEC,
  );
  ts.splice(10, 0, -100 * SEC);
  assert.deepEqual(findTickGaps(ts, { thresholdUs: 5 * SEC }), []);
});

// ---- gapsFromFeedEvents ---------------------------------------------------------------------------

const ev = (e: Partial<FeedEvent> & Pick<FeedEvent, 'tsUs' | 'kind'>): FeedEvent =>
  feedEvent({ feed: 'binance', source: 'binance', reason: '', ...e });
const WINDOW = { fromUs: 0, toUs: 1_000 * SEC, nowUs: 2_000 * SEC };

test('a disconnect lasts until the connect that names it, counting reconnect attempts', () => {
  const events = [
    ev({ tsUs: 100 * SEC, kind: 'disconnect', code: 1006, reason: 'abnormal closure' }),
    ev({ tsUs: 101 * SEC, kind: 'reconnect', reason: 'retry in 1.0 s' }),
    // A second connection of the feed opening: not the end of the first one's outage.
    ev({ tsUs: 102 * SEC, kind: 'connect', reason: 'connected (trades)' }),
    ev({ tsUs: 103 * SEC, kind: 'reconnect', reason: 'retry in 2.0 s' }),
    ev({ tsUs: 105 * SEC, kind: 'connect', reason: 'connected', sinceUs: 100 * SEC }),
  ];
  const gaps = gapsFromFeedEvents(events, WINDOW);
  assert.equal(gaps.length, 1);
  assert.deepEqual(gaps[0], {
    fromUs: 100 * SEC,
    toUs: 105 * SEC,
    cause: 'disconnected',
    detail: 'close 1006: abnormal closure; 2 reconnect attempts',
    feed: 'binance',
    source: 'binance',
  });
  assert.match(
    describeGap(gaps[0], 'utc'),
    /feed binance disconnected \(close 1006: abnormal closure; 2 reconnect/,
  );
});

test('gaps still going run to now (or the range end), and ends seen without their start still count', () => {
  const events = [
    ev({ tsUs: 50 * SEC, kind: 'connect', reason: 'connected', sinceUs: 20 * SEC }),
    ev({ tsUs: 900 * SEC, kind: 'disconnect', reason: 'heartbeat timeout' }),
  ];
  const historic = gapsFromFeedEvents(events, WINDOW);
  assert.deepEqual(spans(historic), [
    [20 * SEC, 50 * SEC],
    [900 * SEC, 1_000 * SEC],
  ]);
  assert.equal(historic[0].detail, 'down since before this range; connected');
  assert.equal(historic[1].open, true);
  assert.match(describeGap(historic[1], 'utc'), /not over yet/);
  const live = gapsFromFeedEvents(events, { fromUs: 0, toUs: 5_000 * SEC, nowUs: 950 * SEC });
  assert.equal(live[1].toUs, 950 * SEC, 'a live view ends an open gap now');
});

test('stale spells per symbol and feed-wide; other symbols and sources are left out', () => {
  const events = [
    ev({ tsUs: 10 * SEC, kind: 'stale_start', symbol: 'ETHUSDT', reason: 'silent for 9.0 s' }),
    ev({ tsUs: 11 * SEC, kind: 'stale_start', symbol: 'BTCUSDT', reason: 'silent for 8.0 s' }),
    ev({ tsUs: 20 * SEC, kind: 'stale_end', symbol: 'BTCUSDT', reason: 'quoting again', sinceUs: 11 * SEC }),
    ev({ tsUs: 30 * SEC, kind: 'stale_start', reason: 'no symbol has quoted for 60.0 s' }),
    ev({ tsUs: 40 * SEC, kind: 'stale_end', reason: 'quotes again', sinceUs: 30 * SEC }),
    ev({ tsUs: 45 * SEC, kind: 'disconnect', feed: 'cb', source: 'coinbase', reason: 'closed' }),
  ];
  const gaps = gapsFromFeedEvents(events, { ...WINDOW, symbol: 'BTCUSDT', sources: ['binance'] });
  assert.deepEqual(spans(gaps), [
    [11 * SEC, 20 * SEC],
    [30 * SEC, 40 * SEC],
  ]);
  assert.equal(gaps[0].symbol, 'BTCUSDT');
  assert.equal(gaps[1].symbol, undefined);
  assert.match(describeGap(gaps[0], 'utc'), /BTCUSDT stale on feed binance \(silent for 8\.0 s\)/);
  assert.match(describeGap(gaps[1], 'utc'), /feed binance: market quiet/);
  const all = gapsFromFeedEvents(events, WINDOW);
  assert.equal(all.length, 4, 'ETHUSDT open stale spell and coinbase outage too');
});

test('lost sequence numbers: filled ones span until the fill, others are an instant; rejects too', () => {
  const fix = { feed: 'lp1', source: 'LP-A' };
  const events = [
    ev({
      ...fix,
      tsUs: 10 * SEC,
      kind: 'sequence_gap',
      fromSeq: 5,
      toSeq: 9,
      reason: 'MsgSeqNum 5-9 missing (5)',
    }),
    ev({
      ...fix,
      tsUs: 12 * SEC,
      kind: 'gap_filled',
      fromSeq: 5,
      toSeq: 9,
      sinceUs: 10 * SEC,
      reason: 'filled by resend',
    }),
    ev({
      ...fix,
      tsUs: 50 * SEC,
      kind: 'sequence_gap',
      fromSeq: 20,
      toSeq: 20,
      reason: 'MsgSeqNum 20 missing (1)',
    }),
    ev({ ...fix, tsUs: 60 * SEC, kind: 'rejected', symbol: 'EURUSD', code: 3, reason: 'unknown symbol' }),
  ];
  const gaps = gapsFromFeedEvents(events, { ...WINDOW, symbol: 'EURUSD' });
  assert.deepEqual(
    gaps.map((g) => [g.cause, g.fromUs, g.toUs, g.detail]),
    [
      ['sequence-gap', 10 * SEC, 12 * SEC, 'MsgSeqNum 5-9 missing (5); filled by resend'],
      ['sequence-gap', 50 * SEC, 50 * SEC, 'MsgSeqNum 20 missing (1)'],
      ['rejected', 60 * SEC, 60 * SEC, 'code 3: unknown symbol'],
    ],
  );
  assert.match(
    describeGap(gaps[2], 'utc'),
    /^at 1970-01-01 00:01:00\.000\nfeed lp1 refused a request \(code 3/,
  );
});

test('feed gaps outside the range are dropped', () => {
  const events = [
    ev({ tsUs: 10 * SEC, kind: 'disconnect', reason: 'closed' }),
    ev({ tsUs: 20 * SEC, kind: 'connect', reason: 'connected', sinceUs: 10 * SEC }),
    ev({ tsUs: 30 * SEC, kind: 'rejected', reason: 'no' }),
  ];
  assert.deepEqual(spans(gapsFromFeedEvents(events, { fromUs: 15 * SEC, toUs: 25 * SEC, nowUs: 99 * SEC })), [
    [10 * SEC, 20 * SEC],
  ]);
});

// ---- mergeGaps and the tooltip --------------------------------------------------------------------

test('a tick gap explained by a disconnect becomes one entry that names both', () => {
  const tick: ChartGap = {
    fromUs: 100 * SEC,
    toUs: 216_026_000,
    cause: 'no-ticks',
    detail: 'normal spacing here ≤ 4.1 s',
  };
  const later: ChartGap = { fromUs: 500 * SEC, toUs: 510 * SEC, cause: 'no-ticks', detail: 'x' };
  const feed = gapsFromFeedEvents(
    [
      ev({ tsUs: 101 * SEC, kind: 'disconnect', code: 1006, reason: '' }),
      ev({ tsUs: 200 * SEC, kind: 'connect', reason: 'connected', sinceUs: 101 * SEC }),
    ],
    WINDOW,
  );
  const before = JSON.stringify([tick, later, feed]);
  const merged = mergeGaps([tick, later], feed);
  assert.equal(JSON.stringify([tick, later, feed]), before, 'inputs untouched');
  assert.equal(merged.length, 2);
  assert.equal(merged[1], later, 'a lone gap passes as is');
  const m = merged[0];
  assert.equal(m.cause, 'disconnected', 'the explanation leads');
  assert.equal(m.feed, 'binance');
  assert.deepEqual(spans([m]), [[100 * SEC, 216_026_000]]);
  assert.deepEqual(
    m.parts?.map((p) => p.cause),
    ['no-ticks', 'disconnected'],
  );
  assert.equal(
    describeGap(m, 'utc'),
    [
      'from 1970-01-01 00:01:40.000',
      'to 1970-01-01 00:03:36.026',
      '1 min 56.026 s',
      'no ticks (normal spacing here ≤ 4.1 s)',
      'feed binance disconnected (close 1006) from 1970-01-01 00:01:41.000 for 1 min 39 s',
    ].join('\n'),
  );
});

test('chains of overlapping gaps join; touching ones too; order is by start', () => {
  const g = (a: number, b: number, cause: ChartGap['cause'] = 'no-ticks'): ChartGap => ({
    fromUs: a,
    toUs: b,
    cause,
    detail: '',
  });
  const merged = mergeGaps(
    [g(50, 60), g(0, 10), g(20, 30)],
    [g(8, 22, 'stale'), g(60, 60, 'rejected'), g(100, 100, 'rejected')],
  );
  assert.deepEqual(spans(merged), [
    [0, 30],
    [50, 60],
    [100, 100],
  ]);
  assert.equal(merged[0].parts?.length, 3);
  assert.equal(merged[1].cause, 'rejected');
  assert.deepEqual(
    mergeGaps(merged, [g(25, 55, 'disconnected')]).map((x) => [x.cause, x.parts?.length]),
    [
      ['disconnected', 6],
      ['rejected', undefined],
    ],
    'merging merged entries flattens their parts',
  );
});

test('durations read as traders read them', () => {
  assert.equal(formatGapDuration(116_026_000), '1 min 56.026 s');
  assert.equal(formatGapDuration(4_100_000), '4.1 s');
  assert.equal(formatGapDuration(59_999_600), '1 min', 'rounding carries into the minute');
  assert.equal(formatGapDuration(350), '350 µs');
  assert.equal(formatGapDuration(12_500), '12.5 ms');
  assert.equal(formatGapDuration(3_723_000_000), '1 h 2 min 3 s');
  assert.equal(
    formatGapDuration(2 * 86_400 * SEC + 4 * 3600 * SEC + 10 * 60 * SEC + 5 * SEC),
    '2 d 4 h 10 min',
  );
  assert.equal(formatGapDuration(7 * 365 * 86_400 * SEC), '2555 d');
});

// ---- the overlay's geometry and drawing -------------------------------------------------------------

// A fake chart adapter: 800 px showing 1000 s..1800 s, one pixel a second, like timeToCoordinate it
// knows nothing outside the data (here: outside the view).
const VIEW = { fromUs: 1_000 * SEC, toUs: 1_800 * SEC };
const xOfUs = (us: number) => (us < VIEW.fromUs || us > VIEW.toUs ? null : (us - VIEW.fromUs) / SEC);
const gap = (a: number, b: number, cause: ChartGap['cause'] = 'no-ticks'): ChartGap => ({
  fromUs: a * SEC,
  toUs: b * SEC,
  cause,
  detail: '',
});

test('spans are clipped to the pane, partly visible gaps kept, invisible ones dropped', () => {
  const gaps = [
    gap(1_100, 1_216),
    gap(900, 1_050),
    gap(1_750, 1_900),
    gap(100, 200),
    gap(1_400, 1_400, 'rejected'),
  ];
  const s = gapSpans(gaps, xOfUs, 800, VIEW);
  assert.deepEqual(
    s.map((x) => [x.gap.fromUs / SEC, x.x1, x.x2]),
    [
      [1_100, 100, 216],
      [900, 0, 50],
      [1_750, 750, 800],
      [1_400, 400 - MIN_SPAN_PX / 2, 400 + MIN_SPAN_PX / 2],
    ],
  );
  // A weekend spanning the whole view: both ends unplaceable, the visible range says it covers all.
  assert.deepEqual(
    gapSpans([gap(500, 5_000)], xOfUs, 800, VIEW).map((x) => [x.x1, x.x2]),
    [[0, 800]],
  );
  // Without the visible range an unplaceable end is read as off its own side.
  assert.deepEqual(
    gapSpans([gap(900, 1_050), gap(1_750, 1_900)], xOfUs, 800).map((x) => [x.x1, x.x2]),
    [
      [0, 50],
      [750, 800],
    ],
  );
  // An adapter that maps off-screen times to off-screen x (negative, beyond the width) is clipped too.
  const linear = (us: number) => (us - VIEW.fromUs) / SEC;
  assert.deepEqual(
    gapSpans([gap(900, 1_050), gap(1_900, 2_000)], linear, 800).map((x) => [x.x1, x.x2]),
    [[0, 50]],
  );
});

interface Call {
  op: string;
  args: number[];
  style?: string;
}

function fakeTarget(width: number, height: number, ratio: number) {
  const calls: Call[] = [];
  const ctx = {
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    fillRect(...args: number[]) {
      calls.push({ op: 'fillRect', args, style: ctx.fillStyle });
    },
    rect: (...args: number[]) => calls.push({ op: 'rect', args }),
    moveTo: (...args: number[]) => calls.push({ op: 'moveTo', args }),
    lineTo: (...args: number[]) => calls.push({ op: 'lineTo', args }),
    stroke() {
      calls.push({ op: 'stroke', args: [], style: ctx.strokeStyle });
    },
    beginPath: () => calls.push({ op: 'beginPath', args: [] }),
    clip: () => calls.push({ op: 'clip', args: [] }),
    save: () => calls.push({ op: 'save', args: [] }),
    restore: () => calls.push({ op: 'restore', args: [] }),
  };
  const scope = {
    context: ctx,
    mediaSize: { width, height },
    bitmapSize: { width: width * ratio, height: height * ratio },
    horizontalPixelRatio: ratio,
    verticalPixelRatio: ratio,
  };
  const target = {
    useBitmapCoordinateSpace: <T>(f: (s: typeof scope) => T) => f(scope),
    useMediaCoordinateSpace: <T>(f: (s: typeof scope) => T) => f(scope),
  };
  return { calls, target: target as unknown as Parameters<IPrimitivePaneRenderer['draw']>[0] };
}

test('GapOverlay shades full height, hatches feed-side gaps, marks breaks, answers hover', () => {
  const overlay = new GapOverlay({ xOfUs, visibleUs: () => VIEW });
  let updates = 0;
  overlay.attached({ requestUpdate: () => updates++ } as unknown as Parameters<GapOverlay['attached']>[0]);
  const tick = gap(1_100, 1_216);
  const feed = gap(1_300, 1_350, 'disconnected');
  overlay.setGaps([tick, feed, gap(0, 10)]);
  overlay.setBreaks([1_500 * SEC, 5_000 * SEC]);
  assert.equal(updates, 2, 'each change asks for a redraw');

  const views = overlay.paneViews();
  assert.equal(views[0].zOrder?.(), 'bottom', 'behind the price lines');
  const { calls, target } = fakeTarget(800, 300, 2);
  views[0].renderer()?.draw(target);

  assert.deepEqual(
    overlay.shadedSpans().map((s) => [s.gap, s.x1, s.x2]),
    [
      [tick, 100, 216],
      [feed, 300, 350],
    ],
  );
  const fills = calls.filter((c) => c.op === 'fillRect');
  assert.deepEqual(
    fills.map((c) => [...c.args, c.style]),
    [
      [200, 0, 232, 600, DEFAULT_GAP_COLOURS.tickFill],
      [600, 0, 100, 600, DEFAULT_GAP_COLOURS.feedFill],
    ],
    'bitmap pixels (ratio 2), full pane height',
  );
  const strokes = calls.filter((c) => c.op === 'stroke');
  assert.deepEqual(
    strokes.map((c) => c.style),
    [DEFAULT_GAP_COLOURS.feedHatch, DEFAULT_GAP_COLOURS.breakLine],
    'only the feed-side gap is hatched, then one break marker',
  );
  const clipAt = calls.findIndex((c) => c.op === 'clip');
  assert.deepEqual(calls[clipAt - 1].args, [600, 0, 100, 600], 'hatch clipped to its gap');

  assert.deepEqual(overlay.breakMarkers(), [500], 'the off-screen break is not drawn');
  const zig = calls.slice(calls.map((c) => c.op).lastIndexOf('moveTo')).filter((c) => c.op === 'lineTo');
  assert.ok(zig.length > 10, 'a zig-zag down the pane');
  assert.ok(
    zig.every((c, i) => c.args[0] === 1000 + (i % 2 === 0 ? 6 : -6)),
    'alternating either side of x = 500 css px',
  );
  assert.equal(zig[zig.length - 1].args[1], 600, 'reaches the bottom');

  assert.equal(overlay.gapAtX(150), tick);
  assert.equal(overlay.gapAtX(352), feed, 'a little tolerance for hairlines');
  assert.equal(overlay.gapAtX(250), null);
  assert.deepEqual(overlay.hitTest(320), {
    externalId: 'gap:1',
    zOrder: 'bottom',
    hitTestPriority: 0,
    itemType: 'primitive',
  });
  assert.equal(overlay.hitTest(600), null);

  overlay.detached();
  overlay.setGaps([]);
  assert.equal(updates, 2, 'detached: no redraw requests');
});
