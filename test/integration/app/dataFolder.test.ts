// Data-folder moves through the service: concurrent requests cannot orphan a store, and a
// folder that cannot be used answers a typed error naming it within 2 s, even where Node's own
// recursive mkdir never returns (/proc).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createTickscopeService } from '../../../electron/app/tickscopeService.ts';
import type { TickscopeService } from '../../../electron/app/tickscopeService.ts';
import { FolderError } from '../../../electron/engine/errors.ts';
import { openTickStore } from '../../../electron/engine/tickStore.ts';
import type { IpcResult } from '../../../shared/ipc/result.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { mountTmpfs } from '../../helpers/tmpfs.ts';

let root: string;
let service: TickscopeService;

before(async () => {
  root = makeTempDir('datafolder');
  service = await createTickscopeService({
    dataDir: path.join(root, 'start'),
    feed: 'none',
    log: () => undefined,
  });
});

after(async () => {
  await service?.close();
});

async function timed(p: Promise<IpcResult<unknown>>): Promise<{ r: IpcResult<unknown>; ms: number }> {
  const t0 = Date.now();
  const r = await p;
  return { r, ms: Date.now() - t0 };
}

test('two concurrent setDataDir calls: one moves, the other is told busy, and the process exits', async () => {
  const dir = makeTempDir('concurrent-move');
  const child = spawn(process.execPath, ['test/fixtures/app/concurrentMove.ts', dir], {
    cwd: path.resolve(import.meta.dirname, '../../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await Promise.race([
    new Promise<number | null>((r) => child.once('exit', r)),
    new Promise<'hung'>((r) => setTimeout(() => r('hung'), 30_000)),
  ]);
  if (code === 'hung') child.kill('SIGKILL');
  assert.equal(code, 0, `the process exits by itself (stderr: ${err})`);
  const { results, dataDir, clean } = JSON.parse(out) as {
    results: IpcResult<unknown>[];
    dataDir: string;
    clean: boolean;
  };
  const ok = results.filter((r) => r.ok);
  const busy = results.filter((r) => !r.ok && r.error.code === 'busy');
  assert.equal(ok.length, 1, JSON.stringify(results));
  assert.equal(busy.length, 1, JSON.stringify(results));
  assert.equal(dataDir, path.join(dir, 'b'));
  assert.equal(clean, true);
});

for (const [what, target] of [
  ['a folder under /proc', '/proc/nonexistent/xyz'],
  ['a path through a file', '/etc/hostname/data'],
] as const) {
  test(`setDataDir to ${what} answers a typed error naming it within 2 s`, async () => {
    const before = service.store().config.dataDir;
    const { r, ms } = await timed(service.dispatch('storage.setDataDir', { path: target }));
    assert.ok(ms < 2_000, `answered in ${ms} ms`);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error.code, 'invalid_argument');
    assert.ok(
      r.error.message.includes('/proc/nonexistent') || r.error.message.includes('/etc/hostname'),
      r.error.message,
    );
    assert.equal(service.store().config.dataDir, before, 'recording stays where it was');
    const h = await service.dispatch('storage.health', {});
    assert.ok(h.ok);
  });
}

test('the engine refuses /proc as a data folder within 2 s, naming it', async () => {
  const t0 = Date.now();
  await assert.rejects(
    openTickStore({ dataDir: '/proc/nonexistent/xyz' }),
    (e: unknown) =>
      e instanceof FolderError &&
      e.path.startsWith('/proc/nonexistent') &&
      /cannot be created/.test(e.message),
  );
  assert.ok(Date.now() - t0 < 2_000);
});

test('setDataDir to a read-only folder is refused, naming the reason', async (t) => {
  const fsys = mountTmpfs(t, makeTempDir('ro-move'), '1m', true);
  if (!fsys) return;
  try {
    const { r, ms } = await timed(service.dispatch('storage.setDataDir', { path: fsys.dir }));
    assert.ok(ms < 2_000);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.error.message, /read-only|EROFS/);
  } finally {
    fsys.unmount();
  }
});
