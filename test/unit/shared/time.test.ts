import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  US_PER_DAY,
  dayIndexToKey,
  dayIndexToStartUs,
  dayKeyToIndex,
  formatIsoUs,
  msToUs,
  usToMs,
  utcDayIndex,
  utcDayKey,
} from '../../../shared/time.ts';

test('utcDayKey names the UTC day, including the last microsecond before midnight', () => {
  const midnight = Date.UTC(2026, 6, 14) * 1000;
  assert.equal(utcDayKey(midnight), '2026-07-14');
  assert.equal(utcDayKey(midnight - 1), '2026-07-13');
  assert.equal(utcDayKey(0), '1970-01-01');
  assert.equal(utcDayKey(Date.UTC(2024, 1, 29, 23, 59, 59) * 1000), '2024-02-29');
});

test('utcDayIndex and dayIndexToStartUs are inverse at day boundaries', () => {
  const d = utcDayIndex(Date.UTC(2026, 10, 23, 22) * 1000);
  assert.equal(dayIndexToStartUs(d), Date.UTC(2026, 10, 23) * 1000);
  assert.equal(utcDayIndex(dayIndexToStartUs(d) + US_PER_DAY - 1), d);
  assert.equal(utcDayIndex(dayIndexToStartUs(d) + US_PER_DAY), d + 1);
  assert.equal(dayIndexToKey(d), '2026-11-23');
});

test('dayKeyToIndex parses real calendar days and rejects impossible ones', () => {
  assert.equal(dayKeyToIndex('1970-01-01'), 0);
  assert.equal(dayKeyToIndex('2026-07-13'), utcDayIndex(Date.UTC(2026, 6, 13) * 1000));
  assert.equal(dayKeyToIndex('2024-02-29'), utcDayIndex(Date.UTC(2024, 1, 29) * 1000));
  for (const bad of [
    '2026-02-30',
    '2023-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-7-13',
    '20260713',
    '',
    'x',
  ]) {
    assert.equal(dayKeyToIndex(bad), null, bad);
  }
});

test('formatIsoUs writes RFC 3339 UTC with six fractional digits', () => {
  assert.equal(formatIsoUs(Date.UTC(2026, 6, 13, 12, 0, 0, 93) * 1000), '2026-07-13T12:00:00.093000Z');
  assert.equal(formatIsoUs(Date.UTC(2026, 6, 13, 12) * 1000 + 93_457), '2026-07-13T12:00:00.093457Z');
  assert.equal(
    formatIsoUs(Date.UTC(2026, 6, 13, 23, 59, 59, 999) * 1000 + 999),
    '2026-07-13T23:59:59.999999Z',
  );
  assert.equal(formatIsoUs(0), '1970-01-01T00:00:00.000000Z');
});

test('msToUs and usToMs convert without drift', () => {
  assert.equal(msToUs(1549238400994), 1549238400994000);
  assert.equal(usToMs(1549238400994999), 1549238400994);
  assert.equal(usToMs(-1), -1);
});
