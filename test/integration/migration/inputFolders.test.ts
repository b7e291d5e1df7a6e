// Input folders as real archives have them: nothing inside the folder can fail the whole run or
// the scan. Unreadable sub-folders, names that are not UTF-8, symlink loops, dangling links and
// FIFOs are skipped and listed with their reason; symlinked files and folders are followed. The
// folder argument itself answers a typed error naming the path and the reason within 2 s.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as tar from 'tar';
import { checkInputFolder, InputFolderError } from '../../../electron/migration/inputFolder.ts';
import { scanInput } from '../../../electron/migration/scanSummary.ts';
import { ArchiveBuilder } from '../../fixtures/migration/archiveBuilder.ts';
import { expectedRows, runMigrateCli, storedTicks } from '../../fixtures/migration/runMigrateCli.ts';
import { nodeWithoutOverride, probeUnreadable } from '../../fixtures/migration/withoutPermissionOverride.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

const T0 = Date.UTC(2024, 0, 2) * 1000;
const importDefaults = { format: 'auto' as const, serverOffsetHours: 0, symbol: null };
const INPUT_FOLDER_MODULE = fileURLToPath(
  new URL('../../../electron/migration/inputFolder.ts', import.meta.url),
);
const SCAN_MODULE = fileURLToPath(new URL('../../../electron/migration/scanSummary.ts', import.meta.url));

function mkfifo(p: string): void {
  const r = spawnSync('mkfifo', [p]);
  assert.equal(r.status, 0, `mkfifo ${p}: ${r.stderr?.toString()}`);
}

function reasons(list: Array<{ path: string; reason: string }>): Map<string, string> {
  return new Map(list.map((s) => [s.path, s.reason]));
}

test('odd folders are skipped and listed, links followed, and the run still migrates the rest', async () => {
  const input = makeTempDir('mig-odd-in');
  const output = makeTempDir('mig-odd-out');
  const outside = makeTempDir('mig-odd-outside');
  const b = new ArchiveBuilder(input);
  b.legacyArray('EURUSD/2024-01-02.json', b.ticks('EURUSD', T0, 500, 60_000_000, 'LP1'));
  // A folder whose name is not UTF-8 (Latin-1 "café"): listed as skipped, never fatal.
  const badName = Buffer.concat([Buffer.from(`${input}/caf`), Buffer.from([0xe9])]);
  mkdirSync(badName);
  writeFileSync(Buffer.concat([badName, Buffer.from('/2024-01-02.json')]), '[]');
  // A folder elsewhere, linked in: followed, its ticks migrated under the link's name.
  const linked = new ArchiveBuilder(outside);
  linked.legacyArray('USDJPY/2024-01-02.json', linked.ticks('USDJPY', T0, 300, 90_000_000, 'LP2', 141.2));
  symlinkSync(outside, path.join(input, 'linked'));
  // Loops: back to the input folder, back to a parent, and a link to itself.
  symlinkSync('.', path.join(input, 'loop'));
  mkdirSync(path.join(input, 'deep/er'), { recursive: true });
  symlinkSync('..', path.join(input, 'deep/er/up'));
  symlinkSync('self', path.join(input, 'self'));
  // A dangling link, a FIFO (opening it would wait forever) and a second name of a file.
  symlinkSync('nowhere.json', path.join(input, 'gone.json'));
  mkfifo(path.join(input, 'pipe.json'));
  symlinkSync('EURUSD/2024-01-02.json', path.join(input, 'alias.json'));

  const scan = await scanInput(input, importDefaults, null);
  const scanSkipped = reasons(scan.skippedPaths);
  assert.match(scanSkipped.get('caf\\xe9')!, /not valid UTF-8/);
  assert.match(scanSkipped.get('loop')!, /symlink loop: it points back to the input folder/);
  assert.match(scanSkipped.get('deep/er/up')!, /symlink loop: it points back to deep/);
  assert.match(scanSkipped.get('self')!, /symlink loop/);
  assert.match(scanSkipped.get('gone.json')!, /dangling symlink/);
  assert.match(scanSkipped.get('pipe.json')!, /a FIFO, not a file/);
  assert.equal(scan.skippedPathsTotal, 6);
  assert.deepEqual(scan.symbols, ['EURUSD', 'USDJPY']);

  const run = await runMigrateCli(['--input-dir', input, '--output-dir', output, '--validate']);
  // Finished, but not everything in the input was read: exit 1, the paths on stderr.
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /6 path\(s\) in the input could not be read and were skipped/);
  const s = run.summary;
  assert.deepEqual(reasons(s.skippedPaths!), scanSkipped);
  assert.deepEqual(storedTicks(output), expectedRows([...b.expected, ...linked.expected]));
  const report = JSON.parse(readFileSync(s.reportPaths!.json, 'utf8')) as {
    files: Array<{ path: string; status: string; reason: string | null }>;
  };
  const status = new Map(report.files.map((f) => [f.path, [f.status, f.reason]]));
  assert.deepEqual(status.get('linked/USDJPY/2024-01-02.json'), ['migrated', null]);
  // A second name of a file already read is not even hashed.
  assert.deepEqual(status.get('EURUSD/2024-01-02.json'), ['migrated', null]);
  assert.deepEqual(status.get('alias.json'), [
    'skipped_identical',
    'identical to EURUSD/2024-01-02.json (the same file)',
  ]);
  assert.equal((s.validation as { ok: boolean }).ok, true);
  assert.match(
    readFileSync(s.reportPaths!.txt, 'utf8'),
    /Paths in the input folder not read: 6\n {2}caf\\xe9: /,
  );
});

test('a sub-folder that cannot be read is listed, and the scan and the run go on', async (t) => {
  const why = probeUnreadable();
  if (why !== null) {
    t.skip(`cannot make a folder unreadable here: ${why}`);
    return;
  }
  const input = makeTempDir('mig-locked-in');
  const output = makeTempDir('mig-locked-out');
  const b = new ArchiveBuilder(input);
  b.legacyArray('EURUSD/2024-01-02.json', b.ticks('EURUSD', T0, 400, 60_000_000, 'LP1'));
  b.legacyArray('locked/GBPUSD/2024-01-02.json', b.ticks('GBPUSD', T0, 10, 60_000_000, 'LP1'), {
    expect: false,
  });
  chmodSync(path.join(input, 'locked'), 0o000);
  t.after(() => chmodSync(path.join(input, 'locked'), 0o755));

  const script = `const { scanInput } = await import(${JSON.stringify(SCAN_MODULE)});
    console.log(JSON.stringify(await scanInput(${JSON.stringify(input)}, ${JSON.stringify(importDefaults)}, null)));`;
  const { command, args } = nodeWithoutOverride(['--input-type=module', '-e', script]);
  const scanned = spawnSync(command, args, { encoding: 'utf8' });
  assert.equal(scanned.status, 0, scanned.stderr);
  const scan = JSON.parse(scanned.stdout) as {
    files: number;
    skippedPaths: Array<{ path: string; reason: string }>;
  };
  assert.equal(scan.files, 1);
  assert.deepEqual(scan.skippedPaths, [
    { path: 'locked', reason: 'folder cannot be read: permission denied (EACCES)' },
  ]);

  const run = await runMigrateCli(['--input-dir', input, '--output-dir', output, '--validate'], {
    withoutOverride: true,
  });
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /locked: folder cannot be read/);
  assert.deepEqual(run.summary.skippedPaths, scan.skippedPaths);
  assert.deepEqual(storedTicks(output), expectedRows(b.expected));
});

async function refusal(folder: string): Promise<{ error: InputFolderError; ms: number }> {
  const t0 = performance.now();
  const error = await checkInputFolder(folder).then(
    () => assert.fail(`${folder} was accepted`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof InputFolderError, String(error));
  return { error, ms: performance.now() - t0 };
}

test('a wrong input folder is a typed error naming the path and the reason, within 2 s', async (t) => {
  const dir = makeTempDir('mig-arg');
  const file = path.join(dir, 'ticks.json');
  writeFileSync(file, '[]');
  const cases: Array<[string, string, RegExp]> = [
    [
      '/proc/nonexistent/xyz',
      'not_found',
      /input folder \/proc\/nonexistent\/xyz cannot be read: it does not exist \(ENOENT\)/,
    ],
    [file, 'not_a_folder', /is not a folder \(it is a file\)/],
    [path.join(file, 'below'), 'not_a_folder', /a part of the path is a file, not a folder \(ENOTDIR\)/],
  ];
  for (const [folder, problem, message] of cases) {
    const { error, ms } = await refusal(folder);
    assert.equal(error.path, folder);
    assert.equal(error.problem, problem);
    assert.match(error.message, message);
    assert.ok(ms < 2000, `${folder}: ${ms} ms`);
    const cli = await runMigrateCli(['--input-dir', folder, '--output-dir', path.join(dir, 'out')]);
    assert.equal(cli.code, 2, cli.stderr);
    assert.match(cli.stderr, message);
  }

  const why = probeUnreadable();
  if (why !== null) {
    t.diagnostic(`unreadable input folder not tested: ${why}`);
    return;
  }
  const locked = path.join(dir, 'locked');
  mkdirSync(locked);
  chmodSync(locked, 0o000);
  t.after(() => chmodSync(locked, 0o755));
  const cli = await runMigrateCli(['--input-dir', locked, '--output-dir', path.join(dir, 'out')], {
    withoutOverride: true,
  });
  assert.equal(cli.code, 2, cli.stderr);
  assert.match(
    cli.stderr,
    new RegExp(`input folder ${locked} cannot be read: permission denied \\(EACCES\\)`),
  );
});

test('an input folder that does not answer is refused after 2 s, not waited for', () => {
  // One thread in libuv's pool, kept busy by opening a FIFO nobody writes: every fs call after
  // it waits, as on a hung network drive. The check must give up on its own.
  const dir = makeTempDir('mig-hung');
  const fifo = path.join(dir, 'fifo');
  mkfifo(fifo);
  const script = `
    import fs from 'node:fs';
    const { checkInputFolder } = await import(${JSON.stringify(INPUT_FOLDER_MODULE)});
    const blocked = fs.promises.open(${JSON.stringify(fifo)}, 'r');
    const t0 = performance.now();
    const out = await checkInputFolder(${JSON.stringify(dir)}).then(
      () => ({ accepted: true }),
      (e) => ({ name: e.name, problem: e.problem, path: e.path, message: e.message }),
    );
    out.ms = performance.now() - t0;
    fs.closeSync(fs.openSync(${JSON.stringify(fifo)}, 'w'));
    await (await blocked).close();
    console.log(JSON.stringify(out));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, UV_THREADPOOL_SIZE: '1' },
    timeout: 20_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as {
    name: string;
    problem: string;
    path: string;
    message: string;
    ms: number;
  };
  assert.equal(out.name, 'InputFolderError');
  assert.equal(out.problem, 'timeout');
  assert.equal(out.path, dir);
  assert.match(out.message, /no answer within 2 s/);
  assert.ok(out.ms >= 1900 && out.ms < 3000, `${out.ms} ms`);
});

test('archiving packs the content of linked files but deletes only files inside the folder', async () => {
  const input = makeTempDir('mig-arch-link-in');
  const output = makeTempDir('mig-arch-link-out');
  const outside = makeTempDir('mig-arch-link-outside');
  const archiveDir = makeTempDir('mig-arch-link-archive');
  const b = new ArchiveBuilder(input);
  b.legacyArray('EURUSD/2024-01-02.json', b.ticks('EURUSD', T0, 200, 60_000_000, 'LP1'));
  const o = new ArchiveBuilder(outside);
  const outsideFile = o.legacyArray('GBPUSD/2024-01-02.json', o.ticks('GBPUSD', T0, 100, 60_000_000, 'LP1'));
  symlinkSync(outside, path.join(input, 'linked'));
  const run = await runMigrateCli([
    '--input-dir',
    input,
    '--output-dir',
    output,
    '--archive',
    archiveDir,
    '--delete-after-archive',
  ]);
  assert.equal(run.code, 0, run.stderr);
  const archive = run.summary.archive as { archivePath: string; files: number; keptLinked: number };
  assert.deepEqual([archive.files, archive.keptLinked], [2, 1]);
  const entries = new Map<string, number>();
  await tar.list({ file: archive.archivePath, onReadEntry: (e) => entries.set(e.path, e.size ?? 0) });
  assert.equal(entries.get('linked/GBPUSD/2024-01-02.json'), statSync(outsideFile).size);
  assert.equal(existsSync(path.join(input, 'EURUSD/2024-01-02.json')), false, 'deleted inside the folder');
  assert.equal(existsSync(outsideFile), true, 'the linked file outside is kept');
});
