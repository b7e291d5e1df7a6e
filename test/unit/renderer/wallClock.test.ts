// Wall-clock fields of µs instants in a zone, the way back, and zone days, against Intl.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { zoneOf } from '../../../renderer/time/zone.ts';
import { startOfZoneDayUs, utcFromWall, wallAsUtcUs, wallClock } from '../../../renderer/time/wallClock.ts';
import { intlWall } from '../../fixtures/explorer/intlClock.ts';

/** Tickscope zone id → the IANA name Intl knows for it. */
const ZONES: Array<[string, string]> = [
  ['utc', 'UTC'],
  ['UTC+02:00', 'Etc/GMT-2'],
  ['UTC-05:00', 'Etc/GMT+5'],
  ['America/New_York', 'America/New_York'],
  ['Asia/Kolkata', 'Asia/Kolkata'],
  ['Australia/Sydney', 'Australia/Sydney'],
];

const usOf = (iso: string) => Date.parse(iso) * 1000;

function sampleUs(): number[] {
  const out: number[] = [];
  let x = 987654;
  const from = usOf('2019-01-01T00:00:00Z');
  const to = usOf('2026-12-31T00:00:00Z');
  for (let i = 0; i < 300; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    // Whole µs with sub-millisecond parts, as recorded ticks have.
    out.push(from + Math.floor((x / 2 ** 31) * (to - from)));
  }
  // Edges: either side of the US DST changes, a leap day's last µs, New Year in UTC+2.
  const edges: Array<[string, number]> = [
    ['2024-03-10T06:59:59.999Z', 999],
    ['2024-03-10T07:00:00Z', 0],
    ['2024-11-03T05:59:59.999Z', 0],
    ['2024-11-03T06:00:00Z', 1],
    ['2024-02-29T23:59:59.999Z', 999],
    ['2019-12-31T22:00:00Z', 0],
  ];
  for (const [iso, extraUs] of edges) out.push(usOf(iso) + extraUs);
  return out;
}

test('wall-clock fields match Intl in every zone, down to the µs, with the weekday', () => {
  for (const [id, iana] of ZONES) {
    const zone = zoneOf(id);
    for (const us of sampleUs()) {
      const w = wallClock(us, zone);
      const t = intlWall(us, iana);
      const where = `${id} at ${us}`;
      assert.deepEqual(
        [w.y, w.mo, w.d, w.h, w.mi, w.s, w.ms, w.us],
        [t.y, t.mo, t.d, t.h, t.mi, t.s, t.ms, t.us],
        where,
      );
      assert.equal(w.dow, new Date(Date.UTC(t.y, t.mo - 1, t.d)).getUTCDay(), where);
      assert.equal(
        wallAsUtcUs(us, zone),
        Date.UTC(t.y, t.mo - 1, t.d, t.h, t.mi, t.s, t.ms) * 1000 + t.us,
        where,
      );
    }
  }
});

test('utcFromWall inverts wallClock (to the ms) wherever the wall time is unambiguous', () => {
  for (const [id] of ZONES) {
    const zone = zoneOf(id);
    for (const us of sampleUs()) {
      const msUs = Math.floor(us / 1000) * 1000;
      const w = wallClock(msUs, zone);
      const back = utcFromWall(w.y, w.mo, w.d, w.h, w.mi, w.s, w.ms, zone);
      // In a repeated (fall-back) hour the earlier instant is meant, so `back` may be an hour early.
      const repeated =
        back !== null && back !== msUs && zone.offsetMsAt(back / 1000) !== zone.offsetMsAt(msUs / 1000);
      if (!repeated) assert.equal(back, msUs, `${id} ${JSON.stringify(w)}`);
      else assert.equal(msUs - back, 3_600_000_000, `${id}: the repeated hour's earlier instant`);
    }
  }
});

test('wall times skipped by DST do not exist, repeated ones mean the earlier instant', () => {
  const ny = zoneOf('America/New_York');
  const ny7 = zoneOf('NY+7');
  assert.equal(utcFromWall(2024, 3, 10, 2, 30, 0, 0, ny), null);
  assert.equal(utcFromWall(2024, 3, 10, 3, 0, 0, 0, ny), usOf('2024-03-10T07:00:00Z'));
  assert.equal(utcFromWall(2024, 11, 3, 1, 30, 0, 0, ny), usOf('2024-11-03T05:30:00Z'));
  // NY+7 skips 09:00-10:00 on the US spring-forward Sunday and repeats 08:00-09:00 in autumn.
  assert.equal(utcFromWall(2024, 3, 10, 9, 30, 0, 0, ny7), null);
  assert.equal(utcFromWall(2024, 3, 10, 10, 0, 0, 0, ny7), usOf('2024-03-10T07:00:00Z'));
  assert.equal(utcFromWall(2024, 11, 3, 8, 30, 0, 0, ny7), usOf('2024-11-03T05:30:00Z'));
  // Fixed offsets have neither.
  assert.equal(utcFromWall(2024, 3, 10, 2, 30, 0, 0, zoneOf('UTC+02:00')), usOf('2024-03-10T00:30:00Z'));
  // Out-of-range fields roll over as Date.UTC does (31 Feb is 2 or 3 March): callers check.
  assert.equal(utcFromWall(2024, 2, 31, 0, 0, 0, 0, zoneOf('utc')), usOf('2024-03-02T00:00:00Z'));
});

/** The first instant (µs) of the zone's calendar day holding `us`, found by Intl and search. */
function firstInstantOfDay(us: number, iana: string): number {
  const day = intlWall(us, iana);
  const sameDay = (t: number) => {
    const w = intlWall(t, iana);
    return w.y === day.y && w.mo === day.mo && w.d === day.d;
  };
  // Days are 23-25 h long (a few zones skip midnight itself): step back to the previous day,
  // then bisect at ms resolution.
  let lo = us - 26 * 3_600_000_000;
  let hi = us;
  while (sameDay(lo)) lo -= 3_600_000_000;
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2000) * 1000;
    if (sameDay(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

test('a zone day starts at its first instant, also on 23 h and 25 h days', () => {
  const cases: Array<[string, string, string]> = [
    ['utc', 'UTC', '2019-02-04T10:00:00.123456Z'],
    ['UTC+02:00', 'Etc/GMT-2', '2019-02-04T23:30:00Z'],
    ['Asia/Kolkata', 'Asia/Kolkata', '2019-02-04T20:00:00Z'],
    ['America/New_York', 'America/New_York', '2024-03-10T16:00:00Z'],
    ['America/New_York', 'America/New_York', '2024-11-03T16:00:00Z'],
    ['NY+7', 'America/New_York', '2024-03-10T16:00:00Z'],
  ];
  for (const [id, iana, iso] of cases) {
    const us = usOf(iso);
    const start = startOfZoneDayUs(us, zoneOf(id));
    if (id === 'NY+7') {
      // NY+7's day starts at 17:00 New York time of the previous New York day.
      const w = wallClock(start, zoneOf(id));
      assert.deepEqual([w.h, w.mi, w.s, w.ms], [0, 0, 0, 0], iso);
      const ny = intlWall(start, iana);
      assert.deepEqual([ny.h, ny.mi], [17, 0], `${iso}: NY+7 midnight is 17:00 in New York`);
      continue;
    }
    assert.equal(start, firstInstantOfDay(us, iana), `${id} ${iso}`);
  }
});

test('a zone day whose midnight is skipped by DST starts at its first instant (Santiago, 2024-09-08)', () => {
  // Chile moves 2024-09-08 00:00 -04 to 01:00 -03: that day starts at 04:00 UTC, not at midnight UTC.
  const us = usOf('2024-09-08T16:00:00Z');
  assert.equal(startOfZoneDayUs(us, zoneOf('America/Santiago')), firstInstantOfDay(us, 'America/Santiago'));
});
