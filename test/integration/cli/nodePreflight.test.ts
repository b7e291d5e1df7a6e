// On a Node older than 24 every command must say, in one sentence, which Node it needs and how
// to get it, and exit 3, instead of failing with ERR_UNKNOWN_FILE_EXTENSION ".ts". Debian's
// /usr/bin/node (20 on this project's machines) is such a Node, and so is the npm it runs.
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { nodeMajor } from '../../../electron/cli/nodeVersion.mjs';
import { ROOT, TICKSCOPE_BIN, cleanEnv } from './cliProcess.ts';

const OLD_NODE = '/usr/bin/node';
const OLD_NPM = '/usr/bin/npm';
// Only the system folders on PATH, so that `node` inside the npm scripts is the old one too.
const OLD_PATH = '/usr/local/bin:/usr/bin:/bin';

function whyNot(): string | null {
  if (!existsSync(OLD_NODE)) return `${OLD_NODE} does not exist`;
  const version = execFileSync(OLD_NODE, ['--version'], { encoding: 'utf8' }).trim();
  if (nodeMajor(version) >= 24) return `${OLD_NODE} is ${version}, not older than 24`;
  return null;
}
const skipReason = whyNot();
if (skipReason) console.log(`# skipped the old-Node preflight tests: ${skipReason}`);

interface Run {
  code: number | null;
  stderr: string;
  stdout: string;
}

function run(command: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: cleanEnv({ PATH: OLD_PATH }),
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a run that went wrong (a whole `npm test` under Node 20) can be
      // ended with everything it started.
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      process.kill(-child.pid!, 'SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} still running after 60 s\n${stderr}`));
    }, 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function assertPreflight(r: Run, what: string): void {
  assert.equal(r.code, 3, `${what}: exit code\n${r.stderr}`);
  assert.match(
    r.stderr,
    /Tickscope needs Node\.js 24 \(the Node that Electron 45 embeds\) but found Node\.js \d+\.\d+\.\d+ \(\/usr\/bin\/node\): install it with `npm install --prefix ~\/\.cache\/tickscope\/node24 node@24` and put ~\/\.cache\/tickscope\/node24\/node_modules\/node\/bin first on PATH/,
    what,
  );
  assert.doesNotMatch(r.stderr, /ERR_UNKNOWN_FILE_EXTENSION/, what);
}

test(
  'preflight.mjs and the tickscope command run on the old Node and say what to install',
  { skip: skipReason ?? false },
  async () => {
    assertPreflight(await run(OLD_NODE, ['electron/cli/preflight.mjs']), 'preflight.mjs');
    for (const command of ['serve', 'record', 'migrate']) {
      assertPreflight(await run(OLD_NODE, [TICKSCOPE_BIN, command, '--help']), `tickscope ${command}`);
    }
  },
);

test(
  'npm run serve|record|migrate|bench and npm test stop at the preflight on the old Node',
  { skip: skipReason ?? (existsSync(OLD_NPM) ? false : `${OLD_NPM} does not exist`) },
  async () => {
    for (const args of [
      ['run', 'serve'],
      ['run', 'record'],
      ['run', 'migrate'],
      ['run', 'bench'],
      ['test'],
    ]) {
      assertPreflight(await run(OLD_NPM, args), `npm ${args.join(' ')}`);
    }
  },
);
