// The JSON-only period ledger on its own: periods open and close with the backend, count the
// ticks accepted meanwhile, survive a reload (an open one stays open in json mode, ends at the
// last save otherwise), and a damaged file is kept aside instead of trusted.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ManualClock } from '../../../electron/engine/clock.ts';
import type { JsonOnlyPeriodsDeps } from '../../../electron/engine/ledger/jsonOnlyPeriods.ts';
import {
  JSON_ONLY_PERIODS_FILE,
  JsonOnlyPeriods,
  parsePeriodsFile,
} from '../../../electron/engine/ledger/jsonOnlyPeriods.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const T0 = Date.UTC(2026, 7, 3, 9) * 1000;

function setup(dataDir = makeTempDir('json-periods')) {
  const clock = new ManualClock(T0);
  const state = { accepted: 0, problems: [] as string[] };
  const deps: JsonOnlyPeriodsDeps = {
    dataDir,
    clock,
    accepted: () => state.accepted,
    onProblem: (m) => state.problems.push(m),
  };
  return { dataDir, clock, state, deps };
}

const stored = (dataDir: string) =>
  JSON.parse(fs.readFileSync(path.join(dataDir, JSON_ONLY_PERIODS_FILE), 'utf8'));

test('a period opens when the backend becomes json and closes with the ticks accepted meanwhile', async () => {
  const { dataDir, clock, state, deps } = setup();
  const p = await JsonOnlyPeriods.load(deps, 'sqlite');
  assert.deepEqual(p.list(), []);
  assert.equal(fs.existsSync(path.join(dataDir, JSON_ONLY_PERIODS_FILE)), false, 'nothing to save yet');
  state.accepted = 100; // before: not JSON-only
  await p.backendChanged('json');
  state.accepted = 130;
  assert.deepEqual(p.list(), [{ fromUs: T0, toUs: null, ticks: 30 }]);
  clock.advance(5_000_000);
  await p.backendChanged('json'); // no change
  await p.backendChanged('dual'); // dual writes SQLite too: the period ends
  state.accepted = 500;
  assert.deepEqual(p.list(), [{ fromUs: T0, toUs: T0 + 5_000_000, ticks: 30 }]);
  clock.advance(1_000_000);
  await p.backendChanged('json');
  state.accepted = 501;
  assert.deepEqual(p.list(), [
    { fromUs: T0, toUs: T0 + 5_000_000, ticks: 30 },
    { fromUs: T0 + 6_000_000, toUs: null, ticks: 1 },
  ]);
  assert.deepEqual(stored(dataDir).periods, [
    { fromUs: T0, toUs: T0 + 5_000_000, ticks: 30 },
    { fromUs: T0 + 6_000_000, toUs: null, ticks: 0 },
  ]);
  await p.saveIfChanged();
  assert.equal(stored(dataDir).periods[1].ticks, 1, 'the housekeeping save has the count');
  assert.deepEqual(state.problems, []);
});

test('after a restart in json mode an open period stays open and keeps counting', async () => {
  const { dataDir, clock, state, deps } = setup();
  const first = await JsonOnlyPeriods.load(deps, 'json');
  state.accepted = 40;
  clock.advance(10_000_000);
  await first.close();
  // A new run: its own counter starts again from 0.
  const next = setup(dataDir);
  next.clock.set(T0 + 3_600_000_000);
  const second = await JsonOnlyPeriods.load(next.deps, 'json');
  next.state.accepted = 2;
  assert.deepEqual(second.list(), [{ fromUs: T0, toUs: null, ticks: 42 }]);
  next.clock.advance(1_000_000);
  await second.backendChanged('sqlite');
  assert.deepEqual(second.list(), [{ fromUs: T0, toUs: T0 + 3_601_000_000, ticks: 42 }]);
  assert.deepEqual(stored(dataDir).periods, second.list());
});

test('after a restart in another mode an open period ends at its last save', async () => {
  const { dataDir, clock, state, deps } = setup();
  const first = await JsonOnlyPeriods.load(deps, 'json');
  state.accepted = 7;
  clock.advance(20_000_000);
  await first.saveIfChanged(); // the last save before a crash
  clock.advance(20_000_000);
  state.accepted = 9; // accepted after the last save: not known to the next run
  const next = setup(dataDir);
  next.clock.set(T0 + 7_200_000_000);
  const second = await JsonOnlyPeriods.load(next.deps, 'sqlite');
  assert.deepEqual(second.list(), [{ fromUs: T0, toUs: T0 + 20_000_000, ticks: 7 }]);
  assert.deepEqual(stored(dataDir).periods, second.list(), 'the ended period is saved at once');
});

test('a damaged file is kept aside, said so, and a new list starts', async () => {
  const { dataDir, state, deps } = setup();
  const file = path.join(dataDir, JSON_ONLY_PERIODS_FILE);
  fs.writeFileSync(file, '{"version":1,"periods":[{"fromUs":1,"toUs":null');
  const p = await JsonOnlyPeriods.load(deps, 'json');
  assert.deepEqual(p.list(), [{ fromUs: T0, toUs: null, ticks: 0 }]);
  assert.equal(
    fs.readFileSync(`${file}.unreadable`, 'utf8'),
    '{"version":1,"periods":[{"fromUs":1,"toUs":null',
  );
  assert.equal(state.problems.length, 1);
  assert.match(state.problems[0], /kept as .*unreadable/);
});

test('only well-formed files are trusted: times, counts, order, at most the last period open', () => {
  const ok = {
    version: 1,
    savedUs: 10,
    periods: [
      { fromUs: 1, toUs: 2, ticks: 3 },
      { fromUs: 4, toUs: null, ticks: 0 },
    ],
  };
  assert.deepEqual(parsePeriodsFile(JSON.stringify(ok)), ok);
  const bad = [
    { ...ok, version: 2 },
    { ...ok, savedUs: -1 },
    { ...ok, periods: {} },
    {
      ...ok,
      periods: [
        { fromUs: 4, toUs: null, ticks: 0 },
        { fromUs: 1, toUs: 2, ticks: 3 },
      ],
    },
    { ...ok, periods: [{ fromUs: 5, toUs: 2, ticks: 3 }] },
    { ...ok, periods: [{ fromUs: 1, toUs: 2, ticks: 1.5 }] },
    { ...ok, periods: [{ fromUs: 1, ticks: 1 }] },
    { ...ok, periods: [null] },
  ];
  for (const b of bad) assert.equal(parsePeriodsFile(JSON.stringify(b)), null, JSON.stringify(b));
  assert.equal(parsePeriodsFile('not json'), null);
});
