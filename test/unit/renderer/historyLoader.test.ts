// What a history load asks the engine for: bars of one call (both sides), from one source when
// filtered, at a finer timeframe folded to the zone's days where UTC buckets do not line up, over
// whole buckets; raw ticks page by page up to the cap; the feed ledger's gaps for the symbol.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { barsFromTicks } from '../../../shared/bars.ts';
import type { TickscopeApi } from '../../../shared/ipc/contract.ts';
import { feedEvent } from '../../../shared/feeds/feedEvents.ts';
import {
  loadBars,
  loadFeedGaps,
  loadTicks,
  MAX_TICKS,
  TICK_PAGE,
} from '../../../renderer/history/historyLoader.ts';
import { formatDateTimeMs } from '../../../renderer/format/time.ts';
import { zoneOf } from '../../../renderer/time/zone.ts';

const US = (iso: string) => Date.parse(iso) * 1000;

/** A fake engine answering from a list of ticks, recording what it was asked. */
function fakeApi(tsUs: number[], sources = ['A']) {
  const calls: Array<{ channel: string; input: Record<string, unknown> }> = [];
  const bid = tsUs.map((_, i) => 1.1 + (i % 7) * 0.0001);
  const ask = bid.map((b) => b + 0.0001);
  const api = {
    call: async (channel: string, input: Record<string, unknown>) => {
      calls.push({ channel, input });
      const from = input.fromUs as number;
      const to = input.toUs as number;
      if (channel === 'bars.get') {
        const idx = tsUs.map((t, i) => (t >= from && t < to ? i : -1)).filter((i) => i >= 0);
        return barsFromTicks(
          'X',
          input.timeframeSec as number,
          (input.source as string | undefined) ?? null,
          idx.map((i) => tsUs[i]),
          idx.map((i) => bid[i]),
          idx.map((i) => ask[i]),
        );
      }
      if (channel === 'ticks.range' || channel === 'desk.ticks') {
        const start = input.cursor ? Number(input.cursor) : 0;
        const all = tsUs.map((t, i) => i).filter((i) => tsUs[i] >= from && tsUs[i] < to);
        const page = all.slice(start, start + (input.limit as number));
        const next = start + page.length < all.length ? String(start + page.length) : null;
        return {
          symbol: 'X',
          tsUs: page.map((i) => tsUs[i]),
          bid: page.map((i) => bid[i]),
          ask: page.map((i) => ask[i]),
          source: page.map((i) => i % sources.length),
          sources,
          bidSize: page.map(() => 1_000_000),
          nextCursor: next,
        };
      }
      if (channel === 'feeds.events') {
        return [
          feedEvent({
            tsUs: from + 1000,
            feed: 'f',
            source: 'A',
            kind: 'disconnect',
            reason: 'closed',
            code: 1006,
          }),
          feedEvent({
            tsUs: from + 5_000_000,
            feed: 'f',
            source: 'A',
            kind: 'connect',
            reason: 'up',
            sinceUs: from + 1000,
          }),
          feedEvent({
            tsUs: from + 2000,
            feed: 'f',
            source: 'A',
            kind: 'stale_start',
            symbol: 'OTHER',
            reason: 'quiet',
          }),
        ];
      }
      throw new Error(`unexpected ${channel}`);
    },
  } as unknown as TickscopeApi;
  return { api, calls };
}

test('daily bars in UTC+2: one call for hourly bars over whole zone days, folded to zone midnight', async () => {
  const ticks = Array.from({ length: 3 * 24 * 6 }, (_, i) => US('2024-06-03T00:00:00Z') + i * 600_000_000);
  const { api, calls } = fakeApi(ticks);
  const zone = zoneOf('UTC+02:00');
  const r = await loadBars(api, {
    symbol: 'X',
    source: 'A',
    fromUs: US('2024-06-03T10:00:00Z'),
    toUs: US('2024-06-05T10:00:00Z'),
    timeframeSec: 86400,
    zone,
  });
  assert.equal(calls.length, 1);
  const q = calls[0].input;
  assert.equal(q.timeframeSec, 3600);
  assert.equal(q.source, 'A');
  assert.equal(formatDateTimeMs(q.fromUs as number, 'UTC+02:00'), '2024-06-03 00:00:00.000');
  assert.equal(formatDateTimeMs(q.toUs as number, 'UTC+02:00'), '2024-06-06 00:00:00.000');
  assert.equal(r.timeframeSec, 86400);
  assert.ok(r.zoneAligned);
  for (const start of r.bars.startUs) assert.match(formatDateTimeMs(start, 'UTC+02:00'), / 00:00:00\.000$/);
  // A zone day holds 144 ten-minute ticks (the first one starts at 02:00 local: 132).
  assert.deepEqual(r.bars.count, [132, 144, 144]);
});

test('bars in UTC are asked for as they are, without a source when unfiltered', async () => {
  const { api, calls } = fakeApi([US('2024-06-03T00:00:01Z')]);
  await loadBars(api, {
    symbol: 'X',
    source: null,
    fromUs: US('2024-06-03T00:00:30Z'),
    toUs: US('2024-06-03T00:10:00Z'),
    timeframeSec: 60,
    zone: zoneOf('utc'),
  });
  assert.equal(calls[0].input.timeframeSec, 60);
  assert.equal('source' in calls[0].input, false);
  assert.equal(calls[0].input.fromUs, US('2024-06-03T00:00:00Z'), 'widened to the whole first bar');
});

test('ticks come page by page with their sources and sizes, and stop at the cap', async () => {
  const n = MAX_TICKS + TICK_PAGE;
  const ticks = Array.from({ length: n }, (_, i) => 1_700_000_000_000_000 + i * 1000);
  const { api, calls } = fakeApi(ticks, ['A', 'B']);
  const r = await loadTicks(
    api,
    { symbol: 'X', source: null, fromUs: ticks[0], toUs: ticks[n - 1] + 1 },
    () => true,
  );
  assert.ok(r);
  assert.equal(r.truncated, true);
  assert.equal(r.raw.tsUs.length, MAX_TICKS);
  assert.equal(calls.length, MAX_TICKS / TICK_PAGE);
  assert.deepEqual(r.raw.source.slice(0, 3), ['A', 'B', 'A']);
  assert.equal(r.raw.bidSize[0], 1_000_000);
  assert.equal(r.raw.askSize[0], null, 'no ask sizes: null, aligned');
  // A load that is no longer the newest stops after its first page.
  const stale = await loadTicks(
    api,
    { symbol: 'X', source: null, fromUs: ticks[0], toUs: ticks[n - 1] + 1 },
    () => false,
  );
  assert.equal(stale, null);
});

test('raw ticks from the desk origin page through desk.ticks, never the local store', async () => {
  const n = TICK_PAGE + 10;
  const ticks = Array.from({ length: n }, (_, i) => US('2024-06-03T00:00:00Z') + i * 10);
  const { api, calls } = fakeApi(ticks);
  const r = await loadTicks(
    api,
    { symbol: 'X', source: null, fromUs: ticks[0], toUs: ticks[n - 1] + 1, origin: 'desk' },
    () => true,
  );
  assert.equal(r?.raw.tsUs.length, n);
  assert.deepEqual(
    calls.map((c) => [c.channel, c.input.cursor ?? null]),
    [
      ['desk.ticks', null],
      ['desk.ticks', String(TICK_PAGE)],
    ],
  );
});

test('feed gaps: the outage of the range, not other symbols’ stale spells', async () => {
  const { api } = fakeApi([]);
  const from = US('2024-06-03T00:00:00Z');
  const gaps = await loadFeedGaps(
    api,
    { symbol: 'X', source: null, fromUs: from, toUs: from + 60e6 },
    from + 60e6,
  );
  assert.deepEqual(
    gaps.map((g) => [g.cause, g.fromUs - from, g.toUs - from]),
    [['disconnected', 1000, 5_000_000]],
  );
  const failing = { call: async () => Promise.reject(new Error('no ledger')) } as unknown as TickscopeApi;
  assert.deepEqual(
    await loadFeedGaps(failing, { symbol: 'X', source: null, fromUs: from, toUs: from + 1 }, from),
    [],
  );
});
