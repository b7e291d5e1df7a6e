import { test } from 'node:test';
import assert from 'node:assert/strict';
import { direction, formatPrice, formatSpread, priceDecimals } from '../../../renderer/format/price.ts';
import {
  formatAge,
  formatDateTimeMs,
  formatTimeMs,
  parseDateTimeInput,
  toDateTimeInput,
} from '../../../renderer/format/time.ts';
import { formatBytes, formatRate } from '../../../renderer/format/number.ts';

test('price decimals follow the magnitude of the quote', () => {
  assert.equal(priceDecimals(1.08123), 5); // EURUSD
  assert.equal(priceDecimals(151.234), 3); // USDJPY
  assert.equal(priceDecimals(64_000.5), 2); // BTCUSD
  assert.equal(priceDecimals(0.000123), 8); // 5 significant digits
  assert.equal(formatPrice(1.08), '1.08000');
  assert.equal(formatPrice(Number.NaN), '—');
});

test('spread is rounded to the quote decimals, so float noise never shows', () => {
  assert.equal(formatSpread(1.0, 1.1), '0.10000');
  assert.equal(formatSpread(1.08121, 1.08123), '0.00002');
  assert.equal(formatSpread(151.2, 151.21), '0.010');
  // Crossed quotes are real market events: a negative spread is shown, not hidden.
  assert.equal(formatSpread(1.2, 1.1), '-0.10000');
});

test('direction of a move', () => {
  assert.equal(direction(undefined, 1), 0);
  assert.equal(direction(1, 1), 0);
  assert.equal(direction(1, 2), 1);
  assert.equal(direction(2, 1), -1);
});

test('UTC times keep the millisecond and drop sub-millisecond µs', () => {
  const us = Date.UTC(2026, 6, 13, 12, 0, 5, 93) * 1000 + 999;
  assert.equal(formatDateTimeMs(us, 'utc'), '2026-07-13 12:00:05.093');
  assert.equal(formatTimeMs(us, 'utc'), '12:00:05.093');
});

test('local times use the zone of the process (TZ) and differ from UTC by its offset', () => {
  const us = Date.UTC(2026, 0, 2, 3, 4, 5, 6) * 1000;
  const d = new Date(us / 1000);
  const expected = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:05.006`;
  assert.equal(formatTimeMs(us, 'local'), expected);
});

test('datetime inputs round-trip in both zones and reject impossible dates', () => {
  const us = Date.UTC(2026, 1, 28, 23, 59, 58) * 1000;
  for (const zone of ['utc', 'local'] as const) {
    const text = toDateTimeInput(us, zone);
    assert.equal(parseDateTimeInput(text, zone), us, zone);
  }
  assert.equal(parseDateTimeInput('2026-02-28T23:59', 'utc'), Date.UTC(2026, 1, 28, 23, 59) * 1000);
  assert.equal(
    parseDateTimeInput('2026-02-28T23:59:58.5', 'utc'),
    (Date.UTC(2026, 1, 28, 23, 59, 58) + 500) * 1000,
  );
  assert.equal(parseDateTimeInput('2026-02-31T00:00', 'utc'), null);
  assert.equal(parseDateTimeInput('2026-13-01T00:00', 'utc'), null);
  assert.equal(parseDateTimeInput('yesterday', 'utc'), null);
  assert.equal(parseDateTimeInput('', 'utc'), null);
});

test('range inputs read 24-hour ISO-like text in a named zone, and refuse a wall time DST skips', () => {
  const us = Date.UTC(2026, 6, 13, 9, 30, 15) * 1000;
  assert.equal(toDateTimeInput(us, 'utc'), '2026-07-13 09:30:15');
  assert.equal(toDateTimeInput(us, 'NY+7'), '2026-07-13 12:30:15');
  assert.equal(toDateTimeInput(us, 'UTC+02:00'), '2026-07-13 11:30:15');
  assert.equal(parseDateTimeInput('2026-07-13 12:30:15', 'NY+7'), us);
  // 2026-03-08 02:30 does not exist in New York (clocks jump from 02:00 to 03:00).
  assert.equal(parseDateTimeInput('2026-03-08 02:30', 'America/New_York'), null);
  assert.equal(
    parseDateTimeInput('2026-03-08 03:30', 'America/New_York'),
    Date.UTC(2026, 2, 8, 7, 30) * 1000,
  );
});

test('ages, rates and sizes', () => {
  assert.equal(formatAge(250), '250 ms');
  assert.equal(formatAge(2500), '2.5 s');
  assert.equal(formatAge(-5), '0 ms');
  assert.equal(formatRate(12_345), '12.3k/s');
  assert.equal(formatRate(2.25), '2.3/s');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(null), '—');
});
