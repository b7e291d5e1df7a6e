import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  FixSeqStoreError,
  createFileSeqStore,
  RESERVE_AHEAD,
  createMemorySeqStore,
  seqFileName,
} from '../../../electron/feeds/fix/fixSeqStore.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const KEY = { beginString: 'FIX.4.4', senderCompId: 'TICKSCOPE', targetCompId: 'YOFX' };

describe('fixSeqStore', () => {
  it('keeps one file per session, replaced whole; close() leaves the exact numbers for the next start', async () => {
    const dir = path.join(makeTempDir('fixseq'), 'nested');
    const a = createFileSeqStore(dir);
    assert.equal(a.load(KEY), null, 'an unknown session starts fresh');
    a.save(KEY, { nextSenderSeqNum: 12, nextTargetSeqNum: 40 });
    a.save({ ...KEY, targetCompId: 'OTHER LP' }, { nextSenderSeqNum: 3, nextTargetSeqNum: 4 });
    a.save(KEY, { nextSenderSeqNum: 13, nextTargetSeqNum: 41 });
    await a.close!();
    const b = createFileSeqStore(dir);
    assert.deepEqual(b.load(KEY), { nextSenderSeqNum: 13, nextTargetSeqNum: 41 });
    assert.deepEqual(b.load({ ...KEY, targetCompId: 'OTHER LP' }), {
      nextSenderSeqNum: 3,
      nextTargetSeqNum: 4,
    });
    await b.close!();
    const files = fs.readdirSync(dir).sort();
    assert.deepEqual(files, [seqFileName({ ...KEY, targetCompId: 'OTHER LP' }), seqFileName(KEY)].sort());
    assert.ok(!files.some((f) => f.includes('.tmp')), 'no temp file left behind');
    assert.equal(fs.statSync(path.join(dir, seqFileName(KEY))).mode & 0o777, 0o600);
  });

  it('without close (a crash) the file resumes above every sender number used, never below', async () => {
    const dir = makeTempDir('fixseq');
    const a = createFileSeqStore(dir);
    a.load(KEY);
    const file = path.join(dir, seqFileName(KEY));
    for (let next = 2; next <= 400; next++) {
      a.save(KEY, { nextSenderSeqNum: next, nextTargetSeqNum: next * 2 });
      // What a crash right now would leave: the number just used (next - 1) is never handed out again.
      if (fs.existsSync(file)) {
        const onDisk = JSON.parse(fs.readFileSync(file, 'utf8')) as { nextSenderSeqNum: number };
        assert.ok(
          onDisk.nextSenderSeqNum >= next,
          `file resumes at ${onDisk.nextSenderSeqNum}, sent ${next - 1}`,
        );
      }
      if (next % 10 === 0) await new Promise((r) => setTimeout(r, 5)); // let background writes land
    }
    await new Promise((r) => setTimeout(r, 50));
    const crashed = createFileSeqStore(dir).load(KEY)!;
    assert.ok(crashed.nextSenderSeqNum >= 400 && crashed.nextSenderSeqNum <= 400 + RESERVE_AHEAD);
    assert.ok(
      crashed.nextTargetSeqNum <= 800,
      'the peer numbers trail behind: a crash costs a ResendRequest',
    );
    await a.close!();
  });

  it('saves do not wait on the disk: a burst of inbound-number saves is written behind, coalesced', async () => {
    const dir = makeTempDir('fixseq');
    const a = createFileSeqStore(dir);
    a.load(KEY);
    await new Promise((r) => setTimeout(r, 50)); // the reservation written at load
    const file = path.join(dir, seqFileName(KEY));
    const before = fs.readFileSync(file, 'utf8');
    for (let t = 2; t < 1_000; t++) a.save(KEY, { nextSenderSeqNum: 2, nextTargetSeqNum: t });
    assert.equal(fs.readFileSync(file, 'utf8'), before, 'nothing was written while saving');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(
      (JSON.parse(fs.readFileSync(file, 'utf8')) as { nextTargetSeqNum: number }).nextTargetSeqNum,
      999,
    );
    await a.close!();
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
