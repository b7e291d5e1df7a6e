import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NavContext } from '../../../renderer/live/followState.ts';
import {
  clampSpan,
  FollowState,
  followView,
  initialSpanUs,
  MIN_SPAN_US,
  navigate,
  RIGHT_MARGIN,
} from '../../../renderer/live/followState.ts';

test('pausing counts new ticks from zero; resuming follows again at the given span', () => {
  const f = new FollowState(5_000_000);
  f.countNew(10);
  assert.equal(f.newWhilePaused, 0, 'ticks are not counted while following');
  assert.equal(f.pause(2_000_000), true);
  f.countNew(7);
  f.countNew(5);
  assert.deepEqual(f.snapshot(), { following: false, spanUs: 2_000_000, newWhilePaused: 12 });
  assert.equal(f.pause(1_000_000), false, 'a second move while paused is not a new pause');
  assert.equal(f.newWhilePaused, 12, 'and keeps counting');
  assert.equal(f.spanUs, 1_000_000);
  assert.equal(f.resume(1_000_000), true);
  assert.deepEqual(f.snapshot(), { following: true, spanUs: 1_000_000, newWhilePaused: 0 });
  assert.equal(f.resume(1_000_000), false);
});

test('a following view ends a small margin after the live edge and keeps the span', () => {
  const v = followView(1_000_000_000, 10_000_000);
  assert.equal(v.toUs - v.fromUs, 10_000_000);
  assert.equal(v.toUs, 1_000_000_000 + 10_000_000 * RIGHT_MARGIN);
});

const ctx = (over: Partial<NavContext> = {}): NavContext => ({
  view: { fromUs: 900_000_000, toUs: 1_000_000_000 },
  following: false,
  edgeUs: 2_000_000_000,
  firstUs: 100_000_000,
  maxSpanUs: 1_000_000_000,
  ...over,
});

test('+/- zoom around the live edge while following (still following), around the centre when paused', () => {
  const following = ctx({ following: true, view: followView(2_000_000_000, 100_000_000) });
  const zin = navigate('zoomIn', following);
  assert.equal(zin.following, true);
  assert.equal(zin.view.toUs - zin.view.fromUs, 50_000_000);
  assert.ok(
    Math.abs(zin.view.toUs - (2_000_000_000 + 50_000_000 * RIGHT_MARGIN)) < 1,
    'the newest tick stays at the edge',
  );
  const zout = navigate('zoomOut', ctx());
  assert.equal(zout.following, false);
  assert.deepEqual(zout.view, { fromUs: 850_000_000, toUs: 1_050_000_000 });
  const capped = navigate('zoomOut', ctx({ maxSpanUs: 150_000_000 }));
  assert.equal(capped.view.toUs - capped.view.fromUs, 150_000_000, 'no wider than the window allows');
});

test('arrows pan a tenth and pause, Home shows the oldest tick, End follows again at the same zoom', () => {
  const left = navigate('panLeft', ctx({ following: true }));
  assert.equal(left.following, false);
  assert.deepEqual(left.view, { fromUs: 890_000_000, toUs: 990_000_000 });
  assert.deepEqual(navigate('panRight', ctx()).view, { fromUs: 910_000_000, toUs: 1_010_000_000 });
  const home = navigate('home', ctx({ following: true }));
  assert.deepEqual(home, { view: { fromUs: 100_000_000, toUs: 200_000_000 }, following: false });
  const end = navigate('end', ctx());
  assert.equal(end.following, true);
  assert.deepEqual(end.view, followView(2_000_000_000, 100_000_000));
});

test('spans are clamped and the opening span follows the prefill', () => {
  assert.equal(clampSpan(1, 1_000_000), MIN_SPAN_US);
  assert.equal(clampSpan(5_000_000, 1_000_000), 1_000_000);
  assert.equal(initialSpanUs(undefined, undefined), 60_000_000, 'no prefill: a minute');
  assert.equal(initialSpanUs(0, 100_000), 1_000_000, 'at least a second');
  assert.equal(initialSpanUs(0, 7_200_000_000), 900_000_000, 'at most a quarter of an hour');
  const s = initialSpanUs(0, 5_000_000);
  assert.ok(s > 5_000_000 && s < 5_500_000, 'the whole prefill and the margin');
});
