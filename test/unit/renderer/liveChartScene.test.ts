import { test } from 'node:test';
import assert from 'node:assert/strict';
import { feedEvent } from '../../../shared/feeds/feedEvents.ts';
import { COLORS } from '../../../renderer/charts/chartTheme.ts';
import { instrumentFor } from '../../../renderer/format/instrument.ts';
import { bboAt } from '../../../renderer/live/liveBbo.ts';
import { liveGaps } from '../../../renderer/live/liveGaps.ts';
import { BBO_COLOUR, BBO_FILTER, planLines } from '../../../renderer/live/liveLines.ts';
import { readoutAt, readoutText } from '../../../renderer/live/liveReadout.ts';
import { buildScene, MAX_MARKERS } from '../../../renderer/live/liveScene.ts';
import { StepColumns } from '../../../renderer/live/stepColumns.ts';
import { TickWindow } from '../../../renderer/live/tickWindow.ts';

const S = 1_000_000;
/** x = µs / 1000: one CSS px per millisecond. */
const msX = { x: (us: number) => us / 1000 };

test('a step line keeps sparse ticks at their x and reduces a crowded column to its range and last value', () => {
  const c = new StepColumns();
  c.start(0, 10);
  c.add(5.5, 12);
  for (const v of [11, 15, 9, 13]) c.add(20.2, v); // one pixel column, four ticks
  c.add(30, 14);
  const out = c.finish(40);
  // From the held 12, one vertical stroke down to 9, up to 15, ending on the last value 13.
  assert.deepEqual(out.xs, [0, 5.5, 5.5, 20.2, 20.2, 20.2, 20.2, 30, 30, 40]);
  assert.deepEqual(out.vs, [10, 10, 12, 12, 9, 15, 13, 13, 14, 14]);
  assert.deepEqual(c.range(), { min: 9, max: 15 });
});

test('a missing side breaks the line instead of joining across it', () => {
  const c = new StepColumns();
  c.add(0, 1);
  c.add(10, Number.NaN);
  c.add(20, 2);
  const out = c.finish(30);
  assert.deepEqual(out.xs, [0, 10, 10, 20, 30]);
  assert.ok(Number.isNaN(out.vs[2]));
  assert.deepEqual([out.vs[0], out.vs[1], out.vs[3], out.vs[4]], [1, 1, 2, 2]);
});

test('each source gets its pair (one source in bid/ask colours), the BBO is added over two or more', () => {
  const colours = new Map<string, number>();
  const all = planLines(['LP-A', 'LP-B', 'LP-C', 'LP-D'], null, true, colours);
  assert.deepEqual(all.sources, ['LP-A', 'LP-B', 'LP-C', 'LP-D']);
  assert.equal(all.lines.length, 10);
  assert.equal(all.bbo, true);
  assert.equal(new Set(all.legend.map((e) => e.colour)).size, 4, 'four colours');
  assert.ok(
    all.lines.filter((l) => l.side === 'ask').every((l) => l.dashed),
    'asks dashed',
  );
  assert.ok(all.lines.some((l) => l.source === null && l.colour === BBO_COLOUR));
  const again = planLines(['LP-A', 'LP-B', 'LP-C', 'LP-D'], null, true, colours);
  assert.deepEqual(again.legend, all.legend, 'colours stay while the sources stay');
  const one = planLines(['LP-A', 'LP-B'], 'LP-B', true, colours);
  assert.deepEqual(one.sources, ['LP-B']);
  assert.equal(one.bbo, false);
  assert.deepEqual(
    one.lines.map((l) => l.colour),
    [COLORS.bid, COLORS.ask],
  );
  const bbo = planLines(['LP-A', 'LP-B'], BBO_FILTER, false, colours);
  assert.deepEqual([bbo.sources, bbo.bbo, bbo.bboSources, bbo.lines.length], [[], true, ['LP-A', 'LP-B'], 2]);
  assert.equal(planLines(['LP-A', 'LP-B'], null, false, colours).bbo, false, 'the BBO toggle off');
  assert.equal(planLines(['LP-A'], null, true, colours).bbo, false, 'no BBO over one source');
});

/** Two LPs quoting in turn, 10 ms apart; LP-B crosses itself once. */
function twoLps(): TickWindow {
  const w = new TickWindow(1000);
  for (let i = 0; i < 100; i++) {
    const src = i % 2 === 0 ? 'LP-A' : 'LP-B';
    const mid = 1 + i * 0.001;
    const crossed = i === 51;
    w.append(i * 10_000, crossed ? mid + 0.002 : mid - 0.0005 * (i % 3), mid + 0.001, src);
  }
  return w;
}

test('the scene draws what is in view from the quotes in force at its left edge, and spans their range', () => {
  const w = twoLps();
  const view = { fromUs: 205_000, toUs: 505_000 };
  const lines = planLines(w.sources(), null, true, new Map()).lines;
  const scene = buildScene({ window: w, view, edgeUs: 2 * S, toX: msX, lines, markCrossed: true });
  assert.equal(scene.ticksInView, 30);
  const aBid = scene.lines.find((l) => l.line.key === 'LP-A:bid')!;
  assert.equal(aBid.xs[0], 205, 'starts at the left edge');
  assert.equal(aBid.vs[0], w.bidAt(20), "with LP-A's last bid before the view");
  assert.equal(aBid.xs[aBid.xs.length - 1], 505, 'and holds its last bid to the right edge');
  // The price scale fits every drawn value, and nothing outside the view.
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 19; i <= 50; i++) {
    lo = Math.min(lo, w.bidAt(i), w.askAt(i));
    hi = Math.max(hi, w.bidAt(i), w.askAt(i));
  }
  assert.ok(Math.abs(scene.min - lo) < 1e-12 && scene.max >= hi, `${scene.min}..${scene.max}`);
  assert.ok(scene.max < w.askAt(60), 'later ticks do not widen the range');
  // The BBO line is the best of the two LPs' latest quotes after each tick.
  const bboBid = scene.lines.find((l) => l.line.key === 'BBO:bid')!;
  const b = bboAt(w, 405_000)!;
  const at = bboBid.xs.lastIndexOf(400);
  assert.equal(bboBid.vs[at], Math.max(w.bidAt(39), w.bidAt(40)));
  assert.equal(b.bid, Math.max(w.bidAt(39), w.bidAt(40)));
  assert.equal(b.ask, Math.min(w.askAt(39), w.askAt(40)));
  assert.equal(b.askSource, 'LP-B', 'the lower ask is the older quote here');
  // LP-B's crossed quote at 510 ms is outside this view; a wider view marks it.
  assert.equal(scene.markers.filter((m) => m.source === 'LP-B').length, 0);
  const wide = buildScene({
    window: w,
    view: { fromUs: 0, toUs: S },
    edgeUs: 2 * S,
    toX: msX,
    lines,
    markCrossed: true,
  });
  const own = wide.markers.filter((m) => m.source === 'LP-B');
  assert.deepEqual(
    own.map((m) => [m.x, m.kind]),
    [[510, 'crossed']],
  );
  const off = buildScene({
    window: w,
    view: { fromUs: 0, toUs: S },
    edgeUs: 2 * S,
    toX: msX,
    lines,
    markCrossed: false,
  });
  assert.equal(off.markers.length, 0, 'the toggle hides the markers');
});

test('markers are capped at the newest MAX_MARKERS', () => {
  const w = new TickWindow(5000);
  for (let i = 0; i < 2 * MAX_MARKERS + 50; i++) w.append(i * 1000, 2, 1, 'LP-A');
  const lines = planLines(['LP-A'], null, false, new Map()).lines;
  const s = buildScene({
    window: w,
    view: { fromUs: 0, toUs: S },
    edgeUs: S,
    toX: msX,
    lines,
    markCrossed: true,
  });
  assert.equal(s.markers.length, MAX_MARKERS);
  assert.equal(s.markers[s.markers.length - 1].x, (2 * MAX_MARKERS + 49) * 1);
});

test('the readout names the source, reads the spread in pips, and says who holds the BBO', () => {
  const w = new TickWindow(10);
  w.append(1_000_000, 1.13456, 1.13468, 'LP-A');
  w.append(2_000_000, 1.13461, 1.1347, 'LP-B');
  const eur = instrumentFor('EURUSD', { decimals: 5, from: 'stored' });
  const r = readoutAt(w, 1_500_000, ['LP-A', 'LP-B'], true)!;
  assert.equal(r.tick?.source, 'LP-A');
  const text = readoutText(r, eur, 'utc');
  assert.match(text, /LP-A {2}bid 1\.13456 {2}ask 1\.13468 {2}spr 1\.2 pips/);
  assert.match(text, /BBO bid 1\.13456 \(LP-A\) {2}ask 1\.13468 \(LP-A\)/, 'only LP-A had quoted by then');
  const later = readoutText(readoutAt(w, 3_000_000, ['LP-A', 'LP-B'], true)!, eur, 'utc');
  assert.match(later, /LP-B {2}bid 1\.13461/);
  assert.match(later, /BBO bid 1\.13461 \(LP-B\) {2}ask 1\.13468 \(LP-A\) {2}spr 0\.7 pips/);
  const bboOnly = readoutAt(w, 3_000_000, [], true)!;
  assert.equal(bboOnly.tick, null);
  assert.match(readoutText(bboOnly, eur, 'UTC+02:00'), /^1970-01-01 02:00:02\.000 {2}BBO/);
  w.append(2_500_000, 1.1348, 1.1347, 'LP-C');
  assert.match(readoutText(readoutAt(w, 3_000_000, ['LP-C'], false)!, eur, 'utc'), /spr -1\.0 pip CROSSED/);
  assert.equal(readoutAt(w, 500_000, ['LP-A'], false), null, 'nothing before the first tick');
});

test('live gaps: silences longer than the normal spacing, the open one at the edge, and the feed ledger', () => {
  const w = new TickWindow(1000);
  const t0 = 1_700_000_000 * S;
  for (let i = 0; i < 60; i++) w.append(t0 + i * S, 1, 1.1, 'LP-A');
  for (let i = 0; i < 60; i++) w.append(t0 + 90 * S + i * S, 1, 1.1, 'LP-A');
  const lastUs = t0 + 149 * S;
  const quiet = liveGaps({ window: w, symbol: 'EURUSD', sources: null, edgeUs: lastUs + 2 * S, events: [] });
  assert.deepEqual(
    quiet.map((g) => [g.fromUs - t0, g.toUs - t0, g.cause]),
    [[59 * S, 90 * S, 'no-ticks']],
  );
  const open = liveGaps({ window: w, symbol: 'EURUSD', sources: null, edgeUs: lastUs + 30 * S, events: [] });
  assert.equal(open.length, 2);
  assert.deepEqual([open[1].fromUs, open[1].toUs, open[1].open], [lastUs, lastUs + 30 * S, true]);
  const events = [
    feedEvent({
      tsUs: t0 + 60 * S,
      feed: 'lp',
      source: 'LP-A',
      kind: 'disconnect',
      reason: 'socket closed',
      code: 1006,
    }),
    feedEvent({
      tsUs: t0 + 89 * S,
      feed: 'lp',
      source: 'LP-A',
      kind: 'connect',
      reason: 'ok',
      sinceUs: t0 + 60 * S,
    }),
  ];
  const merged = liveGaps({ window: w, symbol: 'EURUSD', sources: ['LP-A'], edgeUs: lastUs + 2 * S, events });
  assert.equal(merged.length, 1, 'the outage and the silence it explains are one gap');
  assert.equal(merged[0].cause, 'disconnected');
  assert.deepEqual(
    merged[0].parts?.map((p) => p.cause),
    ['no-ticks', 'disconnected'],
  );
  const otherLp = liveGaps({ window: w, symbol: 'EURUSD', sources: ['LP-B'], edgeUs: lastUs, events });
  assert.equal(otherLp.length, 0, "another LP's ticks and feed are not this chart's");
});
