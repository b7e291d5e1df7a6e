// The spill journal's record formats: records are written as TSJ2 (with the update id and an
// absent exchange time), and segments an earlier build wrote as TSJ1 still replay, alone or
// mixed with new records, damage included.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { ColumnBatch } from '../../../electron/engine/storage/columnBatch.ts';
import { allocateColumnBatch } from '../../../electron/engine/storage/columnBatch.ts';
import type { SpillRecord } from '../../../electron/engine/storage/spillJournal.ts';
import {
  SINK_SQLITE,
  decodeSpillJournal,
  encodeSpillRecord,
} from '../../../electron/engine/storage/spillJournal.ts';
import type { TickInput } from '../../../shared/tick.ts';

const FIXTURES = path.join(import.meta.dirname, '../../fixtures/engine/v2');
const OLD_SEGMENT = fs.readFileSync(path.join(FIXTURES, 'journal-tsj1.tsj'));
const OLD_TICKS = (
  JSON.parse(fs.readFileSync(path.join(FIXTURES, 'journal-tsj1.json'), 'utf8')) as { ticks: TickInput[] }
).ticks;

const SYMS = ['BTCUSDT', 'ETHUSDT'];
const SRCS = ['binance'];

function newBatch(n: number): ColumnBatch {
  const b = allocateColumnBatch(n);
  for (let i = 0; i < n; i++) {
    b.tsUs[i] = 1_780_000_000_000_000 + Math.floor(i / 2);
    // Every third tick has no exchange time; the others arrive a few µs after it.
    b.recvUs[i] = i % 3 === 0 ? Number.NaN : b.tsUs[i] + 11 + i;
    b.bid[i] = 64_000.5;
    b.ask[i] = 64_000.6;
    b.bidSize[i] = Number.NaN;
    b.askSize[i] = 0.25 * i;
    // Pairs share time and prices and differ only by update id; some ticks have none.
    b.seq[i] = i % 5 === 4 ? Number.NaN : 9_000_000_000 + i;
    b.sym[i] = i % 2;
    b.src[i] = 0;
  }
  b.n = n;
  return b;
}

const same = (a: number, b: number) => Object.is(a, b) || a === b;

function assertRecordHolds(rec: SpillRecord, b: ColumnBatch): void {
  assert.equal(rec.batch.n, b.n);
  for (let i = 0; i < b.n; i++) {
    for (const col of ['tsUs', 'recvUs', 'bid', 'ask', 'bidSize', 'askSize', 'seq'] as const)
      assert.ok(same(rec.batch[col][i], b[col][i]), `${col}[${i}]: ${rec.batch[col][i]} vs ${b[col][i]}`);
    assert.equal(rec.symNames[rec.batch.sym[i]], SYMS[b.sym[i]]);
    assert.equal(rec.srcNames[rec.batch.src[i]], SRCS[b.src[i]]);
  }
}

/** The fixture's records as ticks, in record order. */
function ticksOf(records: SpillRecord[]): (TickInput & { seqIsNaN: boolean })[] {
  const out: (TickInput & { seqIsNaN: boolean })[] = [];
  for (const r of records) {
    const b = r.batch;
    for (let i = 0; i < b.n; i++) {
      const t: TickInput & { seqIsNaN: boolean } = {
        symbol: r.symNames[b.sym[i]],
        source: r.srcNames[b.src[i]],
        tsUs: b.tsUs[i],
        recvUs: b.recvUs[i],
        bid: b.bid[i],
        ask: b.ask[i],
        seqIsNaN: Number.isNaN(b.seq[i]),
      };
      if (!Number.isNaN(b.bidSize[i])) t.bidSize = b.bidSize[i];
      if (!Number.isNaN(b.askSize[i])) t.askSize = b.askSize[i];
      out.push(t);
    }
  }
  return out;
}

test('a new record carries the update id and an absent exchange time (NaN) exactly', () => {
  const b = newBatch(41);
  const buf = encodeSpillRecord(
    b,
    (id) => SYMS[id],
    (id) => SRCS[id],
    SINK_SQLITE,
    77,
  );
  assert.equal(buf.toString('latin1', 0, 4), '2JST', 'written in the new format (TSJ2, little-endian)');
  const d = decodeSpillJournal(buf);
  assert.equal(d.records.length, 1);
  assert.equal(d.tornBytes + d.damagedBytes, 0);
  assert.equal(d.records[0].id, 77);
  assertRecordHolds(d.records[0], b);
});

test('a segment written in the old record format (TSJ1) decodes to its ticks, with no update id', () => {
  assert.equal(OLD_SEGMENT.toString('latin1', 0, 4), '1JST', 'the fixture is in the old format');
  const d = decodeSpillJournal(OLD_SEGMENT);
  assert.equal(d.tornBytes + d.damagedBytes, 0);
  assert.deepEqual(
    d.records.map((r) => r.id),
    [100, 101],
  );
  const got = ticksOf(d.records);
  assert.ok(
    got.every((t) => t.seqIsNaN),
    'an old record has no update id',
  );
  assert.deepEqual(
    got.map(({ seqIsNaN: _s, ...t }) => t),
    OLD_TICKS,
  );
});

test('old and new records in one segment, with damage in between: every intact record of both formats', () => {
  const fresh = [newBatch(9), newBatch(30)].map((b) =>
    encodeSpillRecord(
      b,
      (id) => SYMS[id],
      (id) => SRCS[id],
      SINK_SQLITE,
    ),
  );
  const oldRecs = decodeSpillJournal(OLD_SEGMENT).records;
  const firstOldLen = OLD_SEGMENT.length / 2; // the fixture's two records have the same size
  const whole = Buffer.concat([OLD_SEGMENT, fresh[0], fresh[1]]);
  // Damage the second old record's payload and the first new record's header: the decoder must
  // resynchronise on a magic number of either format.
  whole[firstOldLen + 40] ^= 0x10;
  whole[OLD_SEGMENT.length + 2] ^= 0xff;
  const d = decodeSpillJournal(whole);
  assert.equal(d.records.length, 2, 'the first old record and the second new one');
  assert.equal(d.damagedStretches, 1, 'one damaged stretch: the two bad records are adjacent');
  assert.equal(d.damagedBytes, firstOldLen + fresh[0].length);
  assert.equal(d.tornBytes, 0);
  assert.deepEqual(ticksOf([d.records[0]]), ticksOf([oldRecs[0]]));
  assertRecordHolds(d.records[1], newBatch(30));
});
