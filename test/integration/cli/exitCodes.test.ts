// The exit codes a script or a service manager acts on, through the `tickscope` command the npm
// scripts run: 0 success, 1 finished but not right, 2 usage error (message and usage), 3 run-time
// failure (message, no usage).
import assert from 'node:assert/strict';
import { symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { before, test } from 'node:test';
import { ensureRenderer } from '../../../build/scripts/ensureRenderer.ts';
import type { StorageStats } from '../../../shared/stats.ts';
import { sqliteCountAll } from '../../helpers/sqliteFiles.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { TICKSCOPE_BIN, cleanEnv, jsonLines, startCli } from './cliProcess.ts';

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function tickscope(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
  const run = startCli(process.execPath, [TICKSCOPE_BIN, ...args], cleanEnv(env));
  try {
    const exit = await run.waitForExit(60_000);
    return { code: exit.code, stdout: run.stdout(), stderr: run.stderr() };
  } finally {
    run.cleanUp();
  }
}

function assertUsageError(r: Result, command: string, message: string | RegExp): void {
  assert.equal(r.code, 2, r.stderr);
  const first = r.stderr.split('\n')[0];
  if (typeof message === 'string') assert.equal(first, `${command}: ${message}`);
  else assert.match(first, message);
  assert.match(r.stderr, new RegExp(`\\nUsage: npm run ${command} -- `), 'the usage follows the message');
}

function assertRunFailure(r: Result, pattern: RegExp): void {
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /Usage:/, 'a run-time failure is not a usage error');
}

/** A plain file where a data folder should be: nothing can be created under it. */
function fileNotFolder(): string {
  const f = path.join(makeTempDir('cli-not-a-folder'), 'file');
  writeFileSync(f, 'not a folder');
  return f;
}

before(async () => {
  // serve checks the built UI before anything else; build it once here rather than in a test.
  await ensureRenderer();
});

test('--help of every command exits 0 and tickscope --help lists the commands', async () => {
  for (const command of ['serve', 'record', 'migrate']) {
    const r = await tickscope([command, '--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^Usage: npm run ${command} -- `));
    assert.match(r.stdout, /\nExit codes:\n {2}0 /);
  }
  const top = await tickscope(['--help']);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /^ {2}serve +.*\n {2}record +.*\n {2}migrate +/m);
});

test('the bin runs through a symlink on PATH, as npm link puts it there', async () => {
  const binDir = makeTempDir('cli-bin');
  symlinkSync(TICKSCOPE_BIN, path.join(binDir, 'tickscope'));
  const env = cleanEnv();
  const run = startCli('tickscope', ['record', '--help'], {
    ...env,
    PATH: `${binDir}${path.delimiter}${env.PATH}`,
  });
  try {
    const exit = await run.waitForExit(60_000);
    assert.equal(exit.code, 0, run.stderr());
    assert.match(run.stdout(), /^Usage: npm run record -- /);
  } finally {
    run.cleanUp();
  }
});

test('an unknown or missing command is a usage error', async () => {
  const r = await tickscope(['recrod']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^tickscope: unknown command "recrod"\n\nUsage: tickscope <command>/);
  assert.equal((await tickscope([])).code, 2);
});

test('a negative number reads as a bad value of its option, in every command', async () => {
  const dir = makeTempDir('cli-negative');
  assertUsageError(
    await tickscope(['record', '--data-dir', dir, '--rate', '-5']),
    'record',
    '--rate must be a positive number, got -5',
  );
  assertUsageError(
    await tickscope(['record', '--data-dir', dir, '--duration', '-1']),
    'record',
    '--duration must be a positive number, got -1',
  );
  assertUsageError(
    await tickscope(['serve', '--data-dir', dir, '--port', '-1']),
    'serve',
    '--port must be an integer from 0 to 65535, got -1',
  );
  assertUsageError(
    await tickscope(['migrate', '--input-dir', dir, '--output-dir', dir, '--batch-size', '-5']),
    'migrate',
    '--batch-size must be an integer from 1 to 100000, got -5',
  );
});

test('record: no data folder, or a bad environment variable, is a usage error that names it', async () => {
  assertUsageError(await tickscope(['record']), 'record', /set --data-dir or TICK_DATA_DIR/);
  assertUsageError(
    await tickscope(['record', '--data-dir', makeTempDir('cli-env')], { TICK_STORAGE_BACKEND: 'mysql' }),
    'record',
    /TICK_STORAGE_BACKEND/,
  );
});

test('record and serve: a data folder that cannot be opened is a run-time failure (3)', async () => {
  const bad = fileNotFolder();
  assertRunFailure(
    await tickscope(['record', '--data-dir', bad, '--duration', '1']),
    new RegExp(`^record: cannot open the tick store in ${bad}: `),
  );
  assertRunFailure(
    await tickscope(['serve', '--port', '0', '--data-dir', bad]),
    new RegExp(`^serve: cannot open the tick store in ${bad}: `, 'm'),
  );
});

test('serve: a port already in use is a run-time failure that says so', async () => {
  const taken = net.createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = (taken.address() as net.AddressInfo).port;
  try {
    const r = await tickscope(['serve', '--port', String(port), '--data-dir', makeTempDir('cli-port')]);
    assertRunFailure(r, new RegExp(`serve: port ${port} on 127\\.0\\.0\\.1 is already in use`));
  } finally {
    taken.close();
  }
});

test('record --duration stops by itself with the final line and exit 0, every tick on disk', async () => {
  const dir = makeTempDir('cli-duration');
  const r = await tickscope(['record', '--data-dir', dir, '--duration', '1.5', '--stats-interval', '0.5']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^record: --duration reached: stopping the feeds and flushing to disk$/m);
  const lines = jsonLines<StorageStats & { final: boolean }>(r.stdout);
  const last = lines.at(-1)!;
  assert.equal(last.final, true);
  assert.ok(
    lines.slice(0, -1).every((l) => !l.final),
    'only the last line is final',
  );
  assert.ok(last.ticks_stored > 0);
  assert.equal(last.ticks_written + last.ticks_duplicate, last.ticks_stored);
  assert.equal(sqliteCountAll(path.join(dir, 'sqlite')), last.ticks_written);
});
