import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { jsonDayPath } from '../../../electron/engine/storage/dayPath.ts';
import { JsonDayFiles, legacyJsonItem } from '../../../electron/engine/storage/jsonDayFiles.ts';
import { utcDayIndex } from '../../../shared/time.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const T0 = Date.UTC(2026, 6, 13, 12) * 1000;
const DAY = utcDayIndex(T0);

function items(from: number, n: number): string[] {
  return Array.from({ length: n }, (_, i) =>
    legacyJsonItem('EURUSD', 1.08 + (from + i) / 1e5, 1.0801 + (from + i) / 1e5, T0 + from + i, 'LP-A'),
  );
}

function parse(p: string): { bid: number; timestamp: string }[] {
  return JSON.parse(fs.readFileSync(p, 'utf8')) as { bid: number; timestamp: string }[];
}

test('legacy objects carry symbol, bid, ask, spread at the quote precision, RFC 3339 time and lp', () => {
  const o = JSON.parse(legacyJsonItem('EURUSD', 1.08123, 1.08131, T0 + 93_457, 'LP-A')) as unknown;
  assert.deepEqual(o, {
    symbol: 'EURUSD',
    bid: 1.08123,
    ask: 1.08131,
    spread: 0.00008,
    timestamp: '2026-07-13T12:00:00.093457Z',
    lp: 'LP-A',
  });
  const crossed = JSON.parse(legacyJsonItem('BTC/USD', 67251, 67250.5, T0, 'x"y')) as {
    spread: number;
    lp: string;
  };
  assert.equal(crossed.spread, -0.5);
  assert.equal(crossed.lp, 'x"y');
});

test('the file is valid JSON after every append, and reopening appends after what is there', () => {
  const dir = makeTempDir('json-unit');
  const p = jsonDayPath(dir, 'EURUSD', DAY);
  const a = new JsonDayFiles(dir);
  a.append('EURUSD', DAY, []);
  assert.equal(fs.existsSync(p), false, 'an empty append creates nothing');
  a.append('EURUSD', DAY, items(0, 1));
  assert.equal(parse(p).length, 1);
  a.append('EURUSD', DAY, items(1, 3));
  assert.equal(parse(p).length, 4);
  a.fsyncAll();
  a.closeBefore(null);
  const b = new JsonDayFiles(dir);
  b.append('EURUSD', DAY, items(4, 2));
  const got = parse(p);
  assert.deepEqual(
    got.map((x) => x.bid),
    Array.from({ length: 6 }, (_, i) => 1.08 + i / 1e5),
  );
  b.closeBefore(null);
});

test('symbols with a slash live under an underscore folder', () => {
  const dir = makeTempDir('json-slash');
  const f = new JsonDayFiles(dir);
  f.append('BTC/USD', DAY, [legacyJsonItem('BTC/USD', 1, 2, T0, 'a')]);
  f.closeBefore(null);
  assert.ok(fs.existsSync(jsonDayPath(dir, 'BTC/USD', DAY)));
  assert.ok(jsonDayPath(dir, 'BTC/USD', DAY).includes('BTC_USD'));
});

test('a file torn mid-object is repaired to valid JSON keeping every complete object', () => {
  const dir = makeTempDir('json-torn');
  const p = jsonDayPath(dir, 'EURUSD', DAY);
  const a = new JsonDayFiles(dir);
  a.append('EURUSD', DAY, items(0, 3));
  a.closeBefore(null);
  const whole = fs.readFileSync(p, 'utf8');
  // Simulate a crash in the middle of the next append: a fourth object cut half-way.
  const torn = whole.replace(/\n\]\n$/, ',\n') + items(3, 1)[0].slice(0, 25);
  fs.writeFileSync(p, torn);
  assert.throws(() => JSON.parse(fs.readFileSync(p, 'utf8')));
  const b = new JsonDayFiles(dir);
  b.append('EURUSD', DAY, items(10, 1));
  b.closeBefore(null);
  assert.deepEqual(
    parse(p).map((x) => x.bid),
    [0, 1, 2, 10].map((i) => 1.08 + i / 1e5),
  );
});

test('files torn at the bracket (only "[" or missing "]") are repaired too', () => {
  const dir = makeTempDir('json-bracket');
  const p = jsonDayPath(dir, 'EURUSD', DAY);
  fs.mkdirSync(p.slice(0, p.lastIndexOf('/')), { recursive: true });
  fs.writeFileSync(p, '[');
  const a = new JsonDayFiles(dir);
  a.append('EURUSD', DAY, items(0, 2));
  a.closeBefore(null);
  assert.equal(parse(p).length, 2);
  fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace(/\]\n$/, ''));
  const b = new JsonDayFiles(dir);
  b.append('EURUSD', DAY, items(2, 1));
  b.closeBefore(null);
  assert.equal(parse(p).length, 3);
});

test('closeBefore closes only earlier days (rotation)', () => {
  const dir = makeTempDir('json-rotate');
  const f = new JsonDayFiles(dir);
  f.append('EURUSD', DAY - 1, items(0, 1));
  f.append('EURUSD', DAY, items(1, 1));
  f.closeBefore(DAY);
  // Today's file is still open and appendable; yesterday's reopens on demand.
  f.append('EURUSD', DAY, items(2, 1));
  f.append('EURUSD', DAY - 1, items(3, 1));
  f.closeBefore(null);
  assert.equal(parse(jsonDayPath(dir, 'EURUSD', DAY)).length, 2);
  assert.equal(parse(jsonDayPath(dir, 'EURUSD', DAY - 1)).length, 2);
});
