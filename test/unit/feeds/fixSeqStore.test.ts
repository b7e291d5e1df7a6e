import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  FixSeqStoreError,
  createFileSeqStore,
  createMemorySeqStore,
  seqFileName,
} from '../../../electron/feeds/fix/fixSeqStore.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const KEY = { beginString: 'FIX.4.4', senderCompId: 'TICKSCOPE', targetCompId: 'YOFX' };

describe('fixSeqStore', () => {
  it('keeps one file per session, replaced whole, readable by a new store (a restart)', () => {
    const dir = path.join(makeTempDir('fixseq'), 'nested');
    const a = createFileSeqStore(dir);
    assert.equal(a.load(KEY), null, 'an unknown session starts fresh');
    a.save(KEY, { nextSenderSeqNum: 12, nextTargetSeqNum: 40 });
    a.save({ ...KEY, targetCompId: 'OTHER LP' }, { nextSenderSeqNum: 3, nextTargetSeqNum: 4 });
    a.save(KEY, { nextSenderSeqNum: 13, nextTargetSeqNum: 41 });
    const b = createFileSeqStore(dir);
    assert.deepEqual(b.load(KEY), { nextSenderSeqNum: 13, nextTargetSeqNum: 41 });
    assert.deepEqual(b.load({ ...KEY, targetCompId: 'OTHER LP' }), {
      nextSenderSeqNum: 3,
      nextTargetSeqNum: 4,
    });
    const files = fs.readdirSync(dir).sort();
    assert.deepEqual(files, [seqFileName({ ...KEY, targetCompId: 'OTHER LP' }), seqFileName(KEY)].sort());
    assert.ok(!files.some((f) => f.endsWith('.tmp')), 'no temp file left behind');
    assert.equal(fs.statSync(path.join(dir, seqFileName(KEY))).mode & 0o777, 0o600);
  });

  it('names files so that distinct comp ids never share one', () => {
    const names = new Set(
      [
        ['A-B', 'C'],
        ['A', 'B-C'],
        ['A/B', 'C'],
        ['A%2fB', 'C'],
      ].map(([s, t]) => seqFileName({ beginString: 'FIX.4.4', senderCompId: s, targetCompId: t })),
    );
    assert.equal(names.size, 4, 'four distinct names');
    for (const n of names) assert.match(n, /^[A-Za-z0-9._%-]+$/);
  });

  it('refuses a corrupt file with a typed error naming it, rather than resetting silently', () => {
    const dir = makeTempDir('fixseq');
    fs.writeFileSync(path.join(dir, seqFileName(KEY)), '{"nextSenderSeqNum": 5');
    assert.throws(
      () => createFileSeqStore(dir).load(KEY),
      (e: unknown) => e instanceof FixSeqStoreError && e.message.includes(seqFileName(KEY)),
    );
    fs.writeFileSync(path.join(dir, seqFileName(KEY)), '{"nextSenderSeqNum": 0, "nextTargetSeqNum": 2}');
    assert.throws(() => createFileSeqStore(dir).load(KEY), FixSeqStoreError);
  });

  it('memory store keeps copies per session', () => {
    const m = createMemorySeqStore();
    const nums = { nextSenderSeqNum: 2, nextTargetSeqNum: 3 };
    m.save(KEY, nums);
    nums.nextSenderSeqNum = 99;
    assert.deepEqual(m.load(KEY), { nextSenderSeqNum: 2, nextTargetSeqNum: 3 });
    assert.equal(m.saves, 1);
  });
});
