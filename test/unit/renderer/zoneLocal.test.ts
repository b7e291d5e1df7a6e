// 'local' is the zone of the process (the browser's): run under TZ=America/New_York, set before
// the zone code loads, so local must follow New York's offsets and daylight-saving changes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { intlOffsetMs, intlWall } from '../../fixtures/explorer/intlClock.ts';

process.env.TZ = 'America/New_York';
const { zoneOf } = await import('../../../renderer/time/zone.ts');
const { utcFromWall, wallClock } = await import('../../../renderer/time/wallClock.ts');

const LOCAL_NAME = 'America/New_York';

test('the process runs in the zone set for it', () => {
  // Node re-reads TZ when it is assigned; if it did not, everything below would test UTC.
  assert.equal(new Date(Date.UTC(2024, 0, 15, 12)).getTimezoneOffset(), 300);
  assert.equal(new Date(Date.UTC(2024, 6, 15, 12)).getTimezoneOffset(), 240);
});

test('local offsets follow the process zone, across its DST changes', () => {
  const local = zoneOf('local');
  assert.equal(local.id, 'local');
  const instants = [
    '2024-01-15T12:00:00Z',
    '2024-03-10T06:59:59.999Z',
    '2024-03-10T07:00:00Z',
    '2024-07-04T16:00:00Z',
    '2024-11-03T05:59:59.999Z',
    '2024-11-03T06:00:00Z',
    '2019-02-04T10:00:00Z',
    '2026-07-13T12:00:00Z',
  ].map((s) => Date.parse(s));
  for (const ms of instants) {
    assert.equal(local.offsetMsAt(ms), intlOffsetMs(ms, LOCAL_NAME), new Date(ms).toISOString());
  }
});

test('local wall clocks and their inverse agree with Intl', () => {
  const local = zoneOf('local');
  for (const iso of [
    '2024-03-10T06:30:00.123Z',
    '2024-03-10T07:30:00.456Z',
    '2024-11-03T05:30:00Z',
    '2024-11-03T06:30:00Z',
  ]) {
    const us = Date.parse(iso) * 1000 + 789;
    const w = wallClock(us, local);
    const truth = intlWall(us, LOCAL_NAME);
    assert.deepEqual(
      [w.y, w.mo, w.d, w.h, w.mi, w.s, w.ms, w.us],
      [truth.y, truth.mo, truth.d, truth.h, truth.mi, truth.s, truth.ms, truth.us],
      iso,
    );
  }
  // 02:30 on the spring-forward day does not exist in New York.
  assert.equal(utcFromWall(2024, 3, 10, 2, 30, 0, 0, local), null);
  // 01:30 on the fall-back day happens twice: the earlier (EDT) one is meant.
  assert.equal(utcFromWall(2024, 11, 3, 1, 30, 0, 0, local), Date.parse('2024-11-03T05:30:00Z') * 1000);
});
