import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { ColumnBatch } from '../../../electron/engine/storage/columnBatch.ts';
import { allocateColumnBatch } from '../../../electron/engine/storage/columnBatch.ts';
import {
  SINK_JSON,
  SINK_SQLITE,
  decodeSpillJournal,
  encodeSpillRecord,
} from '../../../electron/engine/storage/spillJournal.ts';
import {
  SpillSegmentAppender,
  listSpillSegments,
  segmentRunId,
} from '../../../electron/engine/storage/spillSegments.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const SYMS = ['EURUSD', 'BTCUSD', 'XAUUSD'];
const SRCS = ['default', 'LP-A'];

function batch(n: number, seed: number): ColumnBatch {
  const b = allocateColumnBatch(n);
  for (let i = 0; i < n; i++) {
    b.tsUs[i] = 1_783_944_000_000_000 + seed * 1_000_000 + i;
    b.recvUs[i] = b.tsUs[i] + 150 + i;
    b.bid[i] = 1.08 + i / 1e5 + seed;
    b.ask[i] = b.bid[i] + 0.00012;
    b.bidSize[i] = i % 3 === 0 ? Number.NaN : i * 0.5;
    b.askSize[i] = 1_000_000 + i;
    // Ids as the engine's name tables would give them (sparse, large).
    b.sym[i] = [7, 900, 7][i % 3];
    b.src[i] = i % 2 === 0 ? 3 : 11;
  }
  b.n = n;
  return b;
}

const symName = (id: number) => ({ 7: SYMS[0], 900: SYMS[1] })[id] ?? `?${id}`;
const srcName = (id: number) => ({ 3: SRCS[0], 11: SRCS[1] })[id] ?? `?${id}`;

function assertSameTicks(
  rec: ReturnType<typeof decodeSpillJournal>['records'][number],
  b: ColumnBatch,
): void {
  assert.equal(rec.batch.n, b.n);
  for (let i = 0; i < b.n; i++) {
    assert.equal(rec.batch.tsUs[i], b.tsUs[i]);
    assert.equal(rec.batch.recvUs[i], b.recvUs[i]);
    assert.equal(rec.batch.bid[i], b.bid[i]);
    assert.equal(rec.batch.ask[i], b.ask[i]);
    assert.ok(Object.is(rec.batch.bidSize[i], b.bidSize[i]), 'NaN size stays NaN');
    assert.equal(rec.batch.askSize[i], b.askSize[i]);
    // Ids are local to the record; the names it carries give them meaning.
    assert.equal(rec.symNames[rec.batch.sym[i]], symName(b.sym[i]));
    assert.equal(rec.srcNames[rec.batch.src[i]], srcName(b.src[i]));
  }
}

test('a spill record round-trips every column, names and sinks', () => {
  const b = batch(37, 0);
  const buf = encodeSpillRecord(b, symName, srcName, SINK_SQLITE | SINK_JSON);
  const { records, tornBytes } = decodeSpillJournal(buf);
  assert.equal(tornBytes, 0);
  assert.equal(records.length, 1);
  assert.equal(records[0].sinks, SINK_SQLITE | SINK_JSON);
  assert.deepEqual(records[0].symNames, ['EURUSD', 'BTCUSD']);
  assertSameTicks(records[0], b);
});

test('a record torn mid-write is detected; the records before it survive', () => {
  const b1 = batch(10, 1);
  const b2 = batch(20, 2);
  const r1 = encodeSpillRecord(b1, symName, srcName, SINK_SQLITE);
  const r2 = encodeSpillRecord(b2, symName, srcName, SINK_JSON);
  const whole = Buffer.concat([r1, r2]);
  for (const cut of [r1.length + 5, r1.length + Math.floor(r2.length / 2), whole.length - 1]) {
    const d = decodeSpillJournal(whole.subarray(0, cut));
    assert.equal(d.records.length, 1, `cut at ${cut}`);
    assertSameTicks(d.records[0], b1);
    assert.equal(d.tornBytes, cut - r1.length);
    assert.equal(d.damagedBytes, 0, 'a torn end is not damage in the middle');
  }
  const { records } = decodeSpillJournal(whole);
  assert.equal(records.length, 2);
  assert.equal(records[1].sinks, SINK_JSON);
  assertSameTicks(records[1], b2);
});

test('a damaged record is skipped and the decoder picks up at the next valid one', () => {
  const recs = Array.from({ length: 10 }, (_, k) =>
    encodeSpillRecord(batch(350, k), symName, srcName, SINK_SQLITE),
  );
  const whole = Buffer.concat(recs);
  // Damage the third record's payload and the sixth record's header.
  const off = (k: number) => recs.slice(0, k).reduce((n, r) => n + r.length, 0);
  whole[off(2) + 12 + 100] ^= 0x40;
  whole[off(5) + 1] ^= 0xff;
  const d = decodeSpillJournal(whole);
  assert.equal(d.records.length, 8, 'every intact record survives');
  assert.equal(d.damagedStretches, 2);
  assert.equal(d.damagedBytes, recs[2].length + recs[5].length);
  assert.equal(d.tornBytes, 0);
  const expected = [0, 1, 3, 4, 6, 7, 8, 9];
  d.records.forEach((r, i) => assertSameTicks(r, batch(350, expected[i])));
  // Garbage that is not a record at all is torn, not misread.
  assert.deepEqual(decodeSpillJournal(Buffer.from('not a journal at all')), {
    records: [],
    damagedBytes: 0,
    damagedStretches: 0,
    tornBytes: 20,
  });
});

test('segments: appended in groups, sealed, listed in order; their run id is in the name', () => {
  const dir = path.join(makeTempDir('spill-unit'), 'spill');
  const app = new SpillSegmentAppender(dir, 'overflow', 'run42');
  assert.equal(app.seal(), null, 'nothing appended: nothing to seal');
  const r1 = encodeSpillRecord(batch(5, 1), symName, srcName, SINK_SQLITE);
  const r2 = encodeSpillRecord(batch(6, 2), symName, srcName, SINK_SQLITE);
  app.append([r1, r2], 11);
  app.append([r1], 5);
  assert.equal(app.ticks, 16);
  assert.equal(listSpillSegments(dir).length, 1);
  assert.ok(listSpillSegments(dir)[0].endsWith('.tsj.open'), 'an open segment is still listed');
  const sealed = app.seal()!;
  assert.equal(sealed.ticks, 16);
  assert.ok(sealed.path.endsWith('.tsj'));
  assert.equal(segmentRunId(sealed.path), 'run42');
  const dec = decodeSpillJournal(fs.readFileSync(sealed.path));
  assert.equal(dec.records.length, 3);
  assert.equal(dec.tornBytes, 0);
  assert.deepEqual(listSpillSegments(path.join(dir, 'missing')), []);
});
