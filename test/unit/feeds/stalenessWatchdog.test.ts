import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualFeedClock } from '../../../electron/feeds/core/feedClock.ts';
import { createStalenessWatchdog } from '../../../electron/feeds/core/stalenessWatchdog.ts';
import type { StaleChange } from '../../../electron/feeds/core/stalenessWatchdog.ts';

function setup() {
  const clock = new ManualFeedClock();
  const changes: StaleChange[] = [];
  const wd = createStalenessWatchdog(clock, (c) => changes.push(c));
  wd.setLive(true);
  return { clock, changes, wd };
}

/** Advances time in steps, ticking the symbols whose period (ms) divides the step count. */
function run(s: ReturnType<typeof setup>, ms: number, periods: Record<string, number>, stepMs = 100): void {
  const watches = Object.fromEntries(Object.keys(periods).map((k) => [k, s.wd.watch(k)]));
  const start = s.clock.nowUs();
  for (let t = stepMs; t <= ms; t += stepMs) {
    s.clock.advanceMs(stepMs);
    const elapsed = Math.round((s.clock.nowUs() - start) / 1000);
    for (const [sym, p] of Object.entries(periods))
      if (p > 0 && elapsed % p === 0) s.wd.tick(watches[sym], s.clock.nowUs());
  }
}

test('a symbol quoting 10/s is stale after a few seconds of silence while another keeps quoting', () => {
  const s = setup();
  run(s, 20_000, { FAST: 100, OTHER: 100, SLOW: 60_000 });
  assert.equal(s.changes.length, 0);
  const stoppedAt = s.clock.nowUs();
  run(s, 10_000, { FAST: 0, OTHER: 100 });
  const start = s.changes.filter((c) => c.kind === 'stale_start' && c.symbol === 'FAST');
  assert.equal(start.length, 1);
  const afterS = (start[0].tsUs - stoppedAt) / 1e6;
  // floor 5 s, checked every second
  assert.ok(afterS >= 5 && afterS <= 6.5, `flagged after ${afterS} s`);
  assert.equal(s.wd.watch('FAST').stale, true);
  assert.equal(s.wd.watch('OTHER').stale, false);
  // its next tick ends it, with sinceUs = when it was flagged
  s.wd.tick(s.wd.watch('FAST'), s.clock.nowUs());
  const end = s.changes.filter((c) => c.kind === 'stale_end' && c.symbol === 'FAST');
  assert.equal(end.length, 1);
  assert.equal(end[0].sinceUs, start[0].tsUs);
  assert.equal(s.wd.watch('FAST').stale, false);
});

test('a symbol quoting once a minute is not stale after 20 s (or 3 min) of silence, but is after far longer', () => {
  const s = setup();
  // learn: 10 minutes of one quote a minute, while a busy symbol keeps the feed active
  run(s, 10 * 60_000, { SLOW: 60_000, BUSY: 500 }, 500);
  assert.ok(Math.abs((s.wd.spacingMs(s.wd.watch('SLOW')) ?? 0) - 60_000) < 1);
  run(s, 3 * 60_000 + 20_000, { SLOW: 0, BUSY: 500 }, 500);
  assert.equal(s.wd.watch('SLOW').stale, false, 'not stale 3 min 20 s after its last quote');
  assert.equal(s.changes.filter((c) => c.kind === 'stale_start').length, 0);
  run(s, 60_000, { SLOW: 0, BUSY: 500 }, 500);
  assert.equal(s.wd.watch('SLOW').stale, true, 'stale beyond 4 × its spacing');
});

test('a symbol not yet learned is never flagged', () => {
  const s = setup();
  run(s, 5_000, { NEW: 1_000, BUSY: 100 });
  assert.equal(s.wd.spacingMs(s.wd.watch('NEW')), null);
  run(s, 120_000, { NEW: 0, BUSY: 100 });
  assert.equal(s.wd.watch('NEW').stale, false);
});

test('market quiet: every symbol stops while the connection stays up → one feed-wide event, no per-symbol flood', () => {
  const s = setup();
  const periods: Record<string, number> = {};
  for (let i = 0; i < 200; i++) periods[`S${i}`] = 100 * (1 + (i % 5));
  run(s, 30_000, periods);
  const silent = Object.fromEntries(Object.keys(periods).map((k) => [k, 0]));
  run(s, 10 * 60_000, silent, 1_000);
  assert.equal(s.changes.filter((c) => c.kind === 'stale_start' && c.symbol !== null).length, 0);
  const quiet = s.changes.filter((c) => c.kind === 'stale_start' && c.symbol === null);
  assert.equal(quiet.length, 1);
  assert.match(quiet[0].reason, /market closed or quiet/);
  assert.equal(s.wd.marketQuiet, true);
  // the first quote ends the quiet period, once
  s.wd.tick(s.wd.watch('S3'), s.clock.nowUs());
  assert.equal(s.changes.filter((c) => c.kind === 'stale_end' && c.symbol === null).length, 1);
  assert.equal(s.wd.marketQuiet, false);
});

test('not live: nothing is flagged during an outage, and the silence clock restarts when live again', () => {
  const s = setup();
  run(s, 20_000, { A: 100, B: 100 });
  s.wd.setLive(false);
  run(s, 60_000, { A: 0, B: 0 });
  assert.equal(s.changes.length, 0);
  s.wd.setLive(true);
  // B quotes at once, A does not: A is flagged only after a full threshold from the reconnect
  const liveAt = s.clock.nowUs();
  run(s, 10_000, { A: 0, B: 100 });
  const a = s.changes.filter((c) => c.kind === 'stale_start' && c.symbol === 'A');
  assert.equal(a.length, 1);
  assert.ok(a[0].tsUs - liveAt >= 5_000_000);
  // the outage was not learned as an interval: spacing stays ~100 ms
  assert.ok((s.wd.spacingMs(s.wd.watch('B')) ?? Infinity) < 200);
});

test('stop() ends the periodic check', () => {
  const s = setup();
  run(s, 2_000, { A: 100 });
  const before = s.clock.pending();
  assert.ok(before >= 1);
  s.wd.stop();
  assert.equal(s.clock.pending(), 0);
});
