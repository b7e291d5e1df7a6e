// Runs a Tickscope command as a person or a service manager would (`npm run record -- ...`, or
// node directly), collects what it prints and finds the processes it consists of, so the tests
// can signal the PID a service manager would and check that nothing is left behind.
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const TICKSCOPE_BIN = path.join(ROOT, 'electron/cli/tickscope.mjs');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface CliProcess {
  child: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
  /** Resolves with the first match in stdout (or stderr), or rejects with everything printed. */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit, or rejects (after SIGKILL) when it takes longer than timeoutMs. */
  waitForExit(timeoutMs: number): Promise<Exit>;
  /** SIGKILL to what is still alive of this process and `others`; for `finally` blocks. */
  cleanUp(others?: number[]): void;
}

/**
 * The environment of the test without the variables the commands read, so a developer's
 * TICK_DATA_DIR cannot send test ticks into real data; the running node first on PATH, so the
 * `node` of the npm scripts is the one running the tests.
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['TICK_DATA_DIR', 'TICK_STORAGE_BACKEND', 'BROKER_ID']) delete env[k];
  env.PATH = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`;
  return { ...env, ...extra };
}

export function startCli(command: string, args: string[], env: NodeJS.ProcessEnv = cleanEnv()): CliProcess {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const exited = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  let done = false;
  void exited.then(() => (done = true));
  const printed = () => `\n--- stdout\n${out.stdout.slice(-4000)}\n--- stderr\n${out.stderr.slice(-4000)}`;

  return {
    child,
    pid: child.pid!,
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    exited,
    waitFor(stream, pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const poll = () => {
          const m = pattern.exec(out[stream]);
          if (m) return resolve(m);
          if (done) return reject(new Error(`exited before printing ${pattern} on ${stream}${printed()}`));
          if (Date.now() - started > timeoutMs) {
            return reject(new Error(`no ${pattern} on ${stream} within ${timeoutMs} ms${printed()}`));
          }
          setTimeout(poll, 25);
        };
        poll();
      });
    },
    async waitForExit(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`still running after ${timeoutMs} ms${printed()}`));
        }, timeoutMs);
      });
      try {
        return await Promise.race([exited, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    cleanUp(others = []) {
      // Children first, found before their parent dies (SIGKILL to npm forwards nothing). Only
      // real PIDs: 0 or a negative number would signal a whole process group, this one included.
      const pids = [...others, ...descendants(child.pid!), child.pid!].filter((p) => p > 0);
      for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    },
  };
}

/** `npm run <script> -- <args>`, the way the README says to run the commands. */
export function npmRun(script: string, args: string[], env?: NodeJS.ProcessEnv): CliProcess {
  return startCli('npm', ['run', script, '--', ...args], env);
}

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`isAlive: ${pid} is not a process id`);
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

/** Every process below `pid`, deepest first. */
export function descendants(pid: number): number[] {
  return childProcesses(pid).flatMap(([c]) => [...descendants(c), c]);
}

/** The direct children of `pid` as [pid, command line], from ps. */
export function childProcesses(pid: number): Array<[number, string]> {
  let out = '';
  try {
    // args, not comm: node names its main thread "MainThread", which is what comm shows.
    out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' });
  } catch {
    // ps exits 1 when there are none.
  }
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => {
      const [p, ...name] = l.split(/\s+/);
      return [Number(p), name.join(' ')];
    });
}

/** JSON lines of a stdout that also holds npm's own `> script` lines. */
export function jsonLines<T>(stdout: string): T[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as T);
}
