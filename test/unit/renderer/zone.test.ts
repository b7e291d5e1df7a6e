// Time zones against Node's Intl (ICU): IANA offsets at ordinary instants and around daylight-
// saving changes, New York close (NY+7: New York + 7 h), fixed offsets, and what a user may type.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseZoneId, resolveZone, ZONE_PRESETS, zoneLabel, zoneOf } from '../../../renderer/time/zone.ts';
import { intlOffsetMs } from '../../fixtures/explorer/intlClock.ts';

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);

/** Deterministic spread of instants over 2019-2026 plus a minute either side of each DST change. */
function sampleInstants(): number[] {
  const out: number[] = [];
  let x = 12345;
  const from = at('2019-01-01T00:00:00Z');
  const to = at('2026-12-31T00:00:00Z');
  for (let i = 0; i < 400; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out.push(from + Math.floor((x / 2 ** 31) * (to - from)));
  }
  for (const change of [
    '2024-03-10T07:00:00Z', // US spring forward
    '2024-11-03T06:00:00Z', // US fall back
    '2024-03-31T01:00:00Z', // EU spring forward
    '2024-10-27T01:00:00Z', // EU fall back
    '2024-04-07T16:00:00Z', // Sydney fall back
    '2024-10-05T16:00:00Z', // Sydney spring forward
  ]) {
    for (const d of [-60_000, -1, 0, 1, 60_000]) out.push(at(change) + d);
  }
  return out;
}

test('IANA zones give the offsets Intl gives, at ordinary instants and across DST changes', () => {
  const zones = [
    'America/New_York',
    'Europe/London',
    'Europe/Athens',
    'Asia/Tokyo',
    'Asia/Kolkata',
    'Australia/Sydney',
  ];
  for (const name of zones) {
    const zone = zoneOf(name);
    // Intl names the zone its own way (ICU still answers Asia/Calcutta for Asia/Kolkata).
    assert.equal(zone.id, parseZoneId(name));
    for (const ms of sampleInstants()) {
      assert.equal(zone.offsetMsAt(ms), intlOffsetMs(ms, name), `${name} at ${new Date(ms).toISOString()}`);
    }
  }
});

test('New York close (NY+7) is New York plus 7 h: UTC+2 in winter, UTC+3 while the US is on DST', () => {
  const ny7 = zoneOf('NY+7');
  assert.equal(ny7.id, 'NY+7');
  for (const ms of sampleInstants()) {
    assert.equal(
      ny7.offsetMsAt(ms),
      intlOffsetMs(ms, 'America/New_York') + 7 * HOUR,
      new Date(ms).toISOString(),
    );
  }
  // The US changes on its own dates, not Europe's: on 2024-03-20 Athens is still +2, NY+7 is +3.
  assert.equal(ny7.offsetMsAt(at('2024-01-15T12:00:00Z')), 2 * HOUR);
  assert.equal(ny7.offsetMsAt(at('2024-07-15T12:00:00Z')), 3 * HOUR);
  assert.equal(ny7.offsetMsAt(at('2024-03-20T12:00:00Z')), 3 * HOUR);
  assert.equal(zoneOf('Europe/Athens').offsetMsAt(at('2024-03-20T12:00:00Z')), 2 * HOUR);
  // Exactly at the switches (02:00 New York wall time).
  assert.equal(ny7.offsetMsAt(at('2024-03-10T06:59:59.999Z')), 2 * HOUR);
  assert.equal(ny7.offsetMsAt(at('2024-03-10T07:00:00Z')), 3 * HOUR);
  assert.equal(ny7.offsetMsAt(at('2024-11-03T05:59:59.999Z')), 3 * HOUR);
  assert.equal(ny7.offsetMsAt(at('2024-11-03T06:00:00Z')), 2 * HOUR);
});

test('fixed offsets never change and are named canonically', () => {
  const plus2 = zoneOf('UTC+02:00');
  const minus530 = zoneOf('UTC-05:30');
  assert.equal(plus2.id, 'UTC+02:00');
  assert.equal(minus530.id, 'UTC-05:30');
  for (const ms of sampleInstants()) {
    assert.equal(plus2.offsetMsAt(ms), 2 * HOUR);
    assert.equal(minus530.offsetMsAt(ms), -5.5 * HOUR);
    assert.equal(zoneOf('utc').offsetMsAt(ms), 0);
  }
  // Intl's Etc/GMT-2 is UTC+2 (POSIX sign): the same offsets.
  assert.equal(
    plus2.offsetMsAt(at('2024-07-01T00:00:00Z')),
    intlOffsetMs(at('2024-07-01T00:00:00Z'), 'Etc/GMT-2'),
  );
});

test('what a user types is read as a zone id, and nonsense is refused', () => {
  const cases: Array<[string, string | null]> = [
    ['utc', 'utc'],
    ['UTC', 'utc'],
    ['gmt', 'utc'],
    ['Z', 'utc'],
    ['UTC+0', 'utc'],
    ['Local', 'local'],
    ['local', 'local'],
    ['UTC+2', 'UTC+02:00'],
    ['utc+02:00', 'UTC+02:00'],
    ['+3', 'UTC+03:00'],
    ['GMT-05:30', 'UTC-05:30'],
    ['UTC-0530', 'UTC-05:30'],
    ['  UTC+14 ', 'UTC+14:00'],
    ['europe/athens', 'Europe/Athens'],
    ['America/New_York', 'America/New_York'],
    ['NY+7', 'NY+7'],
    ['ny close', 'NY+7'],
    ['', null],
    ['   ', null],
    ['UTC+15', null],
    ['UTC+02:60', null],
    ['Mars/Olympus_Mons', null],
    ['<script>', null],
    ['UTC+2; drop', null],
  ];
  for (const [typed, id] of cases) assert.equal(parseZoneId(typed), id, JSON.stringify(typed));
  assert.equal(resolveZone('Mars/Olympus_Mons'), null);
  assert.equal(zoneOf('Mars/Olympus_Mons').id, 'utc', 'an unknown saved id falls back to UTC');
  // A typed spelling resolves to the zone of its canonical id.
  assert.equal(resolveZone('UTC+2')?.id, 'UTC+02:00');
  assert.equal(resolveZone('europe/athens')?.offsetMsAt(at('2024-07-01T00:00:00Z')), 3 * HOUR);
});

test('every preset resolves, is its own canonical id, and has a label', () => {
  assert.ok(ZONE_PRESETS.some((p) => p.id === 'utc'));
  assert.ok(ZONE_PRESETS.some((p) => p.id === 'local'));
  assert.ok(ZONE_PRESETS.some((p) => p.id === 'NY+7'));
  for (const p of ZONE_PRESETS) {
    assert.equal(parseZoneId(p.id), p.id, p.id);
    assert.ok(resolveZone(p.id), p.id);
    assert.ok(p.label.length > 0);
    assert.ok(zoneLabel(p.id).length > 0);
  }
  assert.equal(zoneLabel('utc'), 'UTC');
  assert.equal(zoneLabel('UTC+02:00'), 'UTC+02:00');
});
