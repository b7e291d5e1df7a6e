// A user's clone has no ../shared beside it: every test fixture must live in the repository. The
// tests that read real market data are run again in a copy of the repository's files placed where
// no ../shared exists, so a path that escapes the repository fails here, not on a user's machine.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../e2e/harness.ts';

const DATA_TESTS = [
  'test/integration/engine/dukascopyBars.test.ts',
  'test/integration/engine/roundTrip.test.ts',
  'test/unit/migration/tickFileReader.test.ts',
];

function repositoryFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return out.split('\0').filter((f) => f !== '' && existsSync(path.join(ROOT, f)));
}

test('no source or test file reads the provided ../shared folder', async () => {
  const offenders: string[] = [];
  for (const f of repositoryFiles()) {
    if (!/\.(ts|tsx|js|mjs|cjs|json)$/.test(f) || f.startsWith('test/fixtures/')) continue;
    const text = await readFile(path.join(ROOT, f), 'utf8');
    if (/shared\/data\b/.test(text)) offenders.push(f);
  }
  assert.deepEqual(offenders, [], 'these files reach outside the repository for test data');
});

test('the market-data tests pass in a copy of the repository with no ../shared beside it', async () => {
  const parent = await mkdtemp(path.join(os.tmpdir(), 'tickscope-clone-'));
  const clone = path.join(parent, 'tickscope');
  try {
    for (const f of repositoryFiles()) {
      await mkdir(path.dirname(path.join(clone, f)), { recursive: true });
      await copyFile(path.join(ROOT, f), path.join(clone, f));
    }
    await symlink(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
    assert.equal(existsSync(path.join(parent, 'shared')), false);
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      // NODE_TEST_CONTEXT would make the child's runner think it is nested in this one.
      const { NODE_TEST_CONTEXT: _nested, ...env } = process.env;
      const child = spawn(process.execPath, ['--test', ...DATA_TESTS], {
        cwd: clone,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('close', (c) => resolve({ code: c, output }));
    });
    assert.equal(code, 0, `tests failed in the standalone copy:\n${output.slice(-4000)}`);
    assert.match(output, /ℹ fail 0/);
    assert.match(output, /ℹ pass [1-9]/);
    assert.doesNotMatch(output, /ENOENT/);
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
});
