import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  epochToUs,
  epochUnitOf,
  isoParseInfo,
  parseCompactDateColonTime,
  parseCompactDigitsTime,
  parseIsoUs,
  parseMt5DateTime,
} from '../../../electron/migration/timeParsing.ts';

const BASE_MS = Date.UTC(2024, 0, 2, 13, 4, 5);

test('RFC 3339 with Z, offsets, fractions of any length and no zone', () => {
  assert.equal(parseIsoUs('2024-01-02T13:04:05Z'), BASE_MS * 1000);
  assert.equal(isoParseInfo.hadZone, true);
  assert.equal(parseIsoUs('2024-01-02T13:04:05.123456Z'), BASE_MS * 1000 + 123_456);
  assert.equal(parseIsoUs('2024-01-02T13:04:05.1Z'), BASE_MS * 1000 + 100_000);
  assert.equal(parseIsoUs('2024-01-02T13:04:05.123456789Z'), BASE_MS * 1000 + 123_456);
  assert.equal(parseIsoUs('2024-01-02T15:04:05.5+02:00'), BASE_MS * 1000 + 500_000);
  assert.equal(parseIsoUs('2024-01-02T08:04:05-0500'), BASE_MS * 1000);
  assert.equal(parseIsoUs('2024-01-02 13:04:05.250'), BASE_MS * 1000 + 250_000);
  assert.equal(isoParseInfo.hadZone, false);
  assert.equal(parseIsoUs('2024-01-02T13:04Z'), BASE_MS * 1000 - 5_000_000);
});

test('ISO strings that are not real times are refused', () => {
  for (const s of [
    '2024-02-30T00:00:00Z',
    '2024-13-01T00:00:00Z',
    '2024-01-02T25:00:00Z',
    '2024-01-02T13:04:05X',
    'tomorrow at noon',
    '2024-01-02T13:04:05.Z',
  ]) {
    assert.ok(Number.isNaN(parseIsoUs(s)), s);
  }
});

test('epoch units follow from the magnitude; gaps between spans are ambiguous', () => {
  const s = BASE_MS / 1000;
  assert.equal(epochUnitOf(s), 's');
  assert.equal(epochUnitOf(BASE_MS), 'ms');
  assert.equal(epochUnitOf(BASE_MS * 1000), 'us');
  assert.equal(epochUnitOf(BASE_MS * 1e6), 'ns');
  assert.equal(epochUnitOf(2e10), null); // year 2603 in s, or 1970 in ms
  assert.equal(epochUnitOf(12345), null);
  assert.equal(epochToUs(s + 0.25, 's'), BASE_MS * 1000 + 250_000);
  assert.equal(epochToUs(BASE_MS + 0.5, 'ms'), BASE_MS * 1000 + 500);
  assert.equal(epochToUs(BASE_MS * 1e6, 'ns'), BASE_MS * 1000);
});

test('TrueFX, HistData and MetaTrader time formats', () => {
  assert.equal(parseCompactDateColonTime('20240102 13:04:05.959'), BASE_MS * 1000 + 959_000);
  assert.equal(parseCompactDateColonTime('20240102 13:04:05'), BASE_MS * 1000);
  assert.equal(parseCompactDigitsTime('20240102 130405660'), BASE_MS * 1000 + 660_000);
  assert.ok(Number.isNaN(parseCompactDigitsTime('20240102 13040566')));
  assert.equal(parseMt5DateTime('2024.01.02', '13:04:05.123'), BASE_MS * 1000 + 123_000);
  assert.ok(Number.isNaN(parseMt5DateTime('2024-01-02', '13:04:05')));
});
