import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logicalOfTime } from '../../../renderer/charts/timeScale/timeline.ts';
import { FINE_STEPS_PER_PX, gridFits, planLiveGrid } from '../../../renderer/live/liveTimeline.ts';
import { TimeToX } from '../../../renderer/live/timeToX.ts';
import { wallClock } from '../../../renderer/time/wallClock.ts';
import { zoneOf } from '../../../renderer/time/zone.ts';

const T0 = Date.UTC(2026, 6, 13, 12, 0, 0) * 1000;
const S = 1_000_000;

test('the live grid is fine around the view, coarse over the rest of the window, and reaches past the edge', () => {
  const view = { fromUs: T0 + 3600 * S - 10 * S, toUs: T0 + 3600 * S };
  const g = planLiveGrid({ fromUs: T0, view, edgeUs: view.toUs, widthPx: 1000, zone: zoneOf('utc') });
  for (let i = 1; i < g.times.length; i++) assert.ok(g.times[i] > g.times[i - 1], 'strictly increasing');
  assert.ok(g.fromUs <= T0, 'the oldest tick is inside the grid');
  assert.ok(g.toUs >= view.toUs + 5 * S, 'the grid runs half a span (at least 1 s) past the live edge');
  const steps = (view.toUs - view.fromUs) / g.fine.us;
  assert.ok(steps <= 1000 * FINE_STEPS_PER_PX && steps > 100, `${steps} steps in view`);
  assert.ok(g.coarse.us > g.fine.us);
  // Inside the view every fine step is there, so the axis is proportional to time.
  const inView = g.times.filter((t) => t >= view.fromUs && t <= view.toUs);
  for (let i = 1; i < inView.length; i++) assert.equal(inView[i] - inView[i - 1], g.fine.us);
  // An hour of window at the view's 10 ms step would be 360,000 points.
  assert.ok(g.times.length < 5000, `${g.times.length} grid points`);
});

test('grid instants sit on the zone wall clock', () => {
  const view = { fromUs: T0, toUs: T0 + 48 * 3600 * S };
  const zone = zoneOf('UTC+05:30');
  const g = planLiveGrid({ fromUs: T0 - 86_400 * S, view, edgeUs: view.toUs, widthPx: 60, zone });
  assert.equal(g.fine.us, 3600 * S, 'hourly steps: on the half hour in UTC');
  for (const t of g.times.filter((x) => x >= view.fromUs && x <= view.toUs)) {
    const c = wallClock(t, zone);
    assert.equal(
      ((c.h * 60 + c.mi) * 60 * S) % g.fine.us,
      0,
      `${c.h}:${c.mi} is on a ${g.fine.us} µs step in +05:30`,
    );
  }
});

test('a grid fits its view until the user zooms, pans out of its fine part, or the edge outruns it', () => {
  const view = { fromUs: T0, toUs: T0 + 60 * S };
  const g = planLiveGrid({
    fromUs: T0 - 600 * S,
    view,
    edgeUs: view.toUs,
    widthPx: 800,
    zone: zoneOf('utc'),
  });
  assert.equal(gridFits(g, view, 800, view.toUs), true);
  assert.equal(gridFits(g, { fromUs: T0 + 1 * S, toUs: T0 + 61 * S }, 800, view.toUs), true, 'a small move');
  assert.equal(
    gridFits(g, { fromUs: T0 + 55 * S, toUs: T0 + 60 * S }, 800, view.toUs),
    false,
    'zoomed in 12x',
  );
  assert.equal(
    gridFits(g, { fromUs: T0 - 540 * S, toUs: T0 + 60 * S }, 800, view.toUs),
    false,
    'zoomed out 10x',
  );
  assert.equal(
    gridFits(g, { fromUs: T0 - 55 * S, toUs: T0 + 5 * S }, 800, view.toUs),
    false,
    'panned to the fine edge',
  );
  assert.equal(gridFits(g, view, 800, g.toUs + 1), false, 'the live edge passed the end of the grid');
});

test('time to x interpolates between grid instants, extrapolates past them, and walks in order', () => {
  const table = [0, 10, 20, 50, 100];
  const tx = new TimeToX(table, 10, 100, 4);
  assert.equal(tx.x(0), 100);
  assert.equal(tx.x(15), 106);
  assert.equal(tx.x(35), 110, 'halfway between index 2 and 3');
  assert.equal(tx.x(100), 116);
  assert.equal(tx.x(120), 124, 'beyond the table, 10 µs per index');
  assert.equal(tx.x(-10), 96);
  // The walking lookup agrees with a fresh search for any order of questions.
  const big = Array.from({ length: 500 }, (_, i) => i * 7 + (i % 3));
  const walk = new TimeToX(big, 7, 0, 1);
  const asks = [...Array.from({ length: 300 }, (_, i) => i * 11.3), 5, 3000, 1, 2500.5, -4, 4000];
  for (const us of asks) assert.ok(Math.abs(walk.logical(us) - logicalOfTime(big, us, 7)) < 1e-9, `at ${us}`);
});
