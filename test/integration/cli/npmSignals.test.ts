// Service managers, `kill` and container runtimes signal the PID they started, which for
// `npm run record|serve` is npm's. npm forwards SIGINT and SIGTERM to its child; these tests
// check that the child is node itself (no shell in between that would swallow SIGINT, or die of
// SIGTERM and leave node recording with the port held), and that node stops the way it should:
// final line, exit 0, nothing left running, every tick on disk.
import { assertAccounted } from '../../helpers/accounting.ts';
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { dayFilePath } from '../../../electron/engine/storage/dayPath.ts';
import type { StorageStats } from '../../../shared/stats.ts';
import { utcDayIndex } from '../../../shared/time.ts';
import { sqliteCountAll } from '../../helpers/sqliteFiles.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { childProcesses, isAlive, jsonLines, npmRun } from './cliProcess.ts';
import type { CliProcess } from './cliProcess.ts';

type StatsLine = StorageStats & { final: boolean };

// Generous: two shared cores, and the first serve may build the renderer.
const START_MS = 120_000;
const STOP_MS = 30_000;

/** The process npm runs the script in, which must be node, not `sh -c`. */
function nodeUnderNpm(run: CliProcess): number {
  const children = childProcesses(run.pid);
  assert.equal(children.length, 1, `npm has one child: ${JSON.stringify(children)}`);
  const [pid, commandLine] = children[0];
  assert.match(
    commandLine,
    /^\S*node electron\/cli\/tickscope\.mjs /,
    "npm's child is node itself, not a shell",
  );
  return pid;
}

async function portIsFree(port: number): Promise<boolean> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function recordArgs(dir: string): string[] {
  return ['--data-dir', dir, '--symbols', '8', '--rate', '2000', '--stats-interval', '0.2'];
}

async function waitForWrittenTicks(run: CliProcess): Promise<void> {
  await run.waitFor('stdout', /"ticks_written":[1-9]/, START_MS);
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`npm run record: ${signal} to the npm PID flushes, prints the final line, exits 0, leaves no node`, async () => {
    const dir = makeTempDir(`cli-record-${signal}`);
    const run = npmRun('record', recordArgs(dir));
    let nodePid = 0;
    try {
      await waitForWrittenTicks(run);
      nodePid = nodeUnderNpm(run);
      process.kill(run.pid, signal);
      const exit = await run.waitForExit(STOP_MS);
      assert.deepEqual(exit, { code: 0, signal: null }, run.stderr());
      assert.match(run.stderr(), new RegExp(`record: ${signal}: stopping the feeds and flushing to disk`));
      const last = jsonLines<StatsLine>(run.stdout()).at(-1)!;
      assert.equal(last.final, true, 'the last stats line is the final one');
      assertAccounted(last, 'final line');
      assert.equal(
        last.ticks_written + last.ticks_duplicate,
        last.ticks_stored,
        'every accepted tick durable',
      );
      assert.equal(last.spill_pending_ticks, 0);
      assert.equal(sqliteCountAll(path.join(dir, 'sqlite')), last.ticks_written, 'the day files hold them');
      assert.ok(last.ticks_written > 0);
      assert.equal(isAlive(nodePid), false, `node (pid ${nodePid}) is gone`);
    } finally {
      run.cleanUp([nodePid]);
    }
  });

  test(`npm run serve: ${signal} to the npm PID stops, prints the counts, frees the port, exits 0`, async () => {
    const dir = makeTempDir(`cli-serve-${signal}`);
    const run = npmRun('serve', ['--port', '0', '--data-dir', dir, '--rate', '2000']);
    let nodePid = 0;
    try {
      const [, port] = await run.waitFor(
        'stdout',
        /^Tickscope is serving at http:\/\/127\.0\.0\.1:(\d+)\//m,
        START_MS,
      );
      nodePid = nodeUnderNpm(run);
      // Let it write something first: the point is that those ticks survive the stop.
      await new Promise((r) => setTimeout(r, 1_000));
      process.kill(run.pid, signal);
      const exit = await run.waitForExit(STOP_MS);
      assert.deepEqual(exit, { code: 0, signal: null }, run.stderr());
      const [, accepted, stored, pending, lost] = (
        await run.waitFor(
          'stdout',
          /^Tickscope stopped: (\d+) ticks accepted, (\d+) stored in the day files, (\d+) pending in the spill journal, (\d+) lost$/m,
          0,
        )
      ).map(Number);
      assert.ok(accepted > 0, 'it recorded before it stopped');
      assert.deepEqual([stored, pending, lost], [accepted, 0, 0]);
      assert.equal(sqliteCountAll(path.join(dir, 'sqlite')), stored);
      assert.equal(isAlive(nodePid), false, `node (pid ${nodePid}) is gone`);
      assert.equal(await portIsFree(Number(port)), true, `port ${port} is free again`);
    } finally {
      run.cleanUp([nodePid]);
    }
  });
}

test('npm run record: a second signal while it flushes says what it waits for, and the run still ends clean', async (t) => {
  const dir = makeTempDir('cli-record-second-signal');
  const run = npmRun('record', recordArgs(dir));
  let nodePid = 0;
  let blocker: Database.Database | null = null;
  try {
    await waitForWrittenTicks(run);
    nodePid = nodeUnderNpm(run);
    // Another process holding the day file's write lock keeps the writer busy (it retries, as it
    // would on a slow or locked disk), so the stop is still flushing when the second signal comes.
    const dayFile = dayFilePath(path.join(dir, 'sqlite'), utcDayIndex(Date.now() * 1000));
    blocker = new Database(dayFile, { fileMustExist: true });
    blocker.exec('BEGIN EXCLUSIVE');
    process.kill(run.pid, 'SIGTERM');
    await run.waitFor('stderr', /record: SIGTERM: stopping/, STOP_MS);
    // Past the window in which a repeat counts as the same signal (one Ctrl-C arrives twice).
    await new Promise((r) => setTimeout(r, 500));
    process.kill(run.pid, 'SIGINT');
    const [line] = await run.waitFor(
      'stderr',
      /record: SIGINT again: still flushing, waiting for [^\n]+/,
      STOP_MS,
    );
    t.diagnostic(line);
    assert.match(line, /waiting for (\d+ accepted ticks? to reach the day files|the workers)/);
    assert.equal(isAlive(nodePid), true, 'the second signal did not kill it');
    blocker.exec('ROLLBACK');
    blocker.close();
    blocker = null;
    const exit = await run.waitForExit(STOP_MS);
    assert.deepEqual(exit, { code: 0, signal: null }, run.stderr());
    const last = jsonLines<StatsLine>(run.stdout()).at(-1)!;
    assert.equal(last.final, true);
    assertAccounted(last, 'final line after a second signal');
    assert.equal(last.ticks_written + last.ticks_duplicate, last.ticks_stored);
    assert.equal(sqliteCountAll(path.join(dir, 'sqlite')), last.ticks_written);
    assert.equal(isAlive(nodePid), false);
  } finally {
    blocker?.close();
    run.cleanUp([nodePid]);
  }
});
