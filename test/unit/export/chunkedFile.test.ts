// The text writer under every tick and bar export (chunkedFile.ts) writes its chunks on libuv's
// pool while the next are formatted: the file must still come out in order and whole, a failed
// write (a full disk) must fail the export naming it and leave no file, and a cancel must remove
// the partial file at once even with writes under way.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, test } from 'node:test';
import { ChunkedFile } from '../../../electron/engine/export/chunkedFile.ts';
import { runExport } from '../../../electron/engine/export/exportRun.ts';
import type { TickReader } from '../../../electron/engine/reader/tickReader.ts';
import type { TickStreamReader } from '../../../electron/engine/stream/streamTypes.ts';
import type { ExportWorkerMessage } from '../../../electron/engine/workers/exportApi.ts';
import { makeTempDir, removeTempDirs } from '../../helpers/tempDir.ts';
import { syntheticPage } from './syntheticPage.ts';

after(removeTempDirs);
const realWrite = fs.write;
afterEach(() => {
  fs.write = realWrite;
});

/** fs.write failing with ENOSPC from its `okWrites + 1`-th call on, as a full disk does. */
function diskFullAfter(okWrites: number): void {
  let calls = 0;
  fs.write = ((...args: unknown[]) => {
    const cb = args[args.length - 1] as (e: NodeJS.ErrnoException | null, n?: number) => void;
    if (++calls > okWrites) {
      const e: NodeJS.ErrnoException = new Error('ENOSPC: no space left on device, write');
      e.code = 'ENOSPC';
      setImmediate(() => cb(e));
      return;
    }
    return (realWrite as (...a: unknown[]) => void)(...args);
  }) as typeof fs.write;
}

/** Text of `n` chars, different at every position, so a chunk out of place shows. */
const text = (n: number, seed: number) => {
  let s = '';
  for (let i = 0; s.length < n; i++) s += `${seed}:${i},`;
  return s.slice(0, n);
};

test('chunks written on the pool reach the file in order and whole, counted in bytes', async () => {
  const out = path.join(makeTempDir('chunked-order'), 'a.txt');
  const f = new ChunkedFile(out);
  const parts = [10, 3 << 20, 700_000, 1 << 20, 5, 2_500_000, 1].map((n, i) => text(n, i));
  // Names in UTF-8 go through too (a symbol may be any text).
  parts.push('Ünïcödé,€\n');
  for (const p of parts) {
    f.add(p);
    await f.drained();
  }
  assert.deepEqual(await f.finish(), [out]);
  const want = parts.join('');
  assert.equal(fs.readFileSync(out, 'utf8'), want);
  assert.equal(f.bytes, Buffer.byteLength(want));
  assert.equal(fs.existsSync(`${out}.partial`), false);
});

test('a write that fails (disk full) rejects the writer, fails finish and leaves no file', async () => {
  const out = path.join(makeTempDir('chunked-full'), 'b.txt');
  diskFullAfter(1);
  const f = new ChunkedFile(out);
  let failed: unknown = null;
  try {
    for (let i = 0; i < 12; i++) {
      f.add(text(1 << 20, i));
      await f.drained();
    }
  } catch (e) {
    failed = e;
  }
  assert.match(String(failed), /ENOSPC/, 'the pages after the failure are refused');
  await assert.rejects(f.finish(), /ENOSPC/);
  f.abort();
  assert.equal(fs.existsSync(out), false);
  assert.equal(fs.existsSync(`${out}.partial`), false);
});

test('a CSV export onto a full disk fails saying so and leaves nothing', async () => {
  const out = path.join(makeTempDir('chunked-export-full'), 'day.csv');
  diskFullAfter(2);
  let k = 0;
  const stream: TickStreamReader = {
    page: () => ({ ticks: syntheticPage(20_000, 1.5e15 + k * 4e6), cursor: ++k < 20 ? String(k) : null }),
  };
  const reader = { symbols: () => [], days: () => [] } as unknown as TickReader;
  const msgs: ExportWorkerMessage[] = [];
  await runExport(
    { reader, stream, emit: (m) => msgs.push(m), cancelled: () => false },
    { format: 'csv', symbols: [], fromUs: 0, toUs: 2e15, outPath: out },
  );
  const last = msgs.at(-1)!;
  assert.equal(last.type, 'failed', JSON.stringify(last));
  assert.equal(last.type === 'failed' && last.error, `the disk is full writing ${out}`);
  assert.ok(k < 20, `the export stopped reading after the failure (read ${k} of 20 pages)`);
  assert.deepEqual(fs.readdirSync(path.dirname(out)), []);
});

test('abort with writes under way removes the partial file at once', async () => {
  const dir = makeTempDir('chunked-abort');
  const out = path.join(dir, 'c.txt');
  const f = new ChunkedFile(out);
  for (let i = 0; i < 6; i++) f.add(text(1 << 20, i));
  f.abort();
  assert.deepEqual(fs.readdirSync(dir), []);
  // The writes still under way settle without recreating anything.
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(fs.readdirSync(dir), []);
});
