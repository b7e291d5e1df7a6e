// Runs the QuickFIX acceptor (test/fixtures/fix/quickfixAcceptor.cpp) for the FIX feed tests:
// compiles it once into .tmp/quickfix-acceptor/<hash of the source>/ (a second run reuses it),
// starts it on a free port with a generated session config (FileStore in a temp dir) and a
// script, and collects its stdout log lines for the test to compare against.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeTempDir } from './tempDir.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = path.join(ROOT, 'test/fixtures/fix');
const SOURCE = path.join(FIXTURES, 'quickfixAcceptor.cpp');
const DICTIONARY = path.join(FIXTURES, 'FIX44.xml');
const QUICKFIX_HEADER = '/usr/include/quickfix/Session.h';

export const QUICKFIX_INSTALL_HINT =
  'the FIX feed acceptor tests need g++ and QuickFIX: apt-get install g++ libquickfix-dev';

/** Why the acceptor cannot be built here (printed as the skip reason), or null when it can. */
export function quickfixMissing(): string | null {
  const gpp = spawnSync('g++', ['--version'], { encoding: 'utf8' });
  if (gpp.error || gpp.status !== 0) return `g++ not found; ${QUICKFIX_INSTALL_HINT}`;
  if (!fs.existsSync(QUICKFIX_HEADER)) return `${QUICKFIX_HEADER} not found; ${QUICKFIX_INSTALL_HINT}`;
  return null;
}

let building: Promise<string> | null = null;

/** The acceptor binary, compiled at most once per source version. */
export function buildQuickfixAcceptor(): Promise<string> {
  building ??= (async () => {
    const source = fs.readFileSync(SOURCE);
    const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
    const dir = path.join(ROOT, '.tmp/quickfix-acceptor', hash);
    const bin = path.join(dir, 'quickfixAcceptor');
    if (fs.existsSync(bin)) return bin;
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${bin}.${process.pid}.tmp`;
    const args = ['-std=gnu++14', '-O1', '-Wno-deprecated', '-o', tmp, SOURCE, '-lquickfix', '-lpthread'];
    const result = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const p = spawn('g++', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.stderr.on('data', (d) => (out += d));
      p.on('close', (code) => resolve({ code, out }));
      p.on('error', (e) => resolve({ code: -1, out: e.message }));
    });
    if (result.code !== 0)
      throw new Error(`compiling the QuickFIX acceptor failed:\n${result.out.slice(0, 4000)}`);
    // Renamed into place: a parallel test process sees the whole binary or none.
    fs.renameSync(tmp, bin);
    return bin;
  })();
  building.catch(() => {
    building = null;
  });
  return building;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface AcceptorOptions {
  /** The script (see quickfixAcceptor.cpp). */
  script: string;
  /** The acceptor's own comp id (the feed's TargetCompID). */
  senderCompId: string;
  /** The feed's SenderCompID. */
  targetCompId: string;
  /** Logons must carry this password (else none). */
  password?: string;
}

export interface QuickfixAcceptor {
  readonly port: number;
  /** Every stdout line so far. */
  readonly lines: readonly string[];
  /** The session's work directory (FileStore, logs). */
  readonly dir: string;
  /** Resolves with the first line (from `from` on) matching; rejects after timeoutMs. */
  waitForLine(match: RegExp, timeoutMs?: number, from?: number): Promise<string>;
  stop(): Promise<void>;
}

export async function startQuickfixAcceptor(opts: AcceptorOptions): Promise<QuickfixAcceptor> {
  const bin = await buildQuickfixAcceptor();
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const dir = makeTempDir('quickfix');
    const cfg = path.join(dir, 'acceptor.cfg');
    const scriptPath = path.join(dir, 'script.txt');
    fs.writeFileSync(scriptPath, opts.script);
    fs.writeFileSync(
      cfg,
      [
        '[DEFAULT]',
        'ConnectionType=acceptor',
        `SocketAcceptPort=${port}`,
        'SocketReuseAddress=Y',
        `FileStorePath=${path.join(dir, 'store')}`,
        `FileLogPath=${path.join(dir, 'log')}`,
        'StartTime=00:00:00',
        'EndTime=00:00:00',
        'UseDataDictionary=Y',
        `DataDictionary=${DICTIONARY}`,
        'TimestampPrecision=6',
        'ResetOnLogon=N',
        'ResetOnLogout=N',
        'ResetOnDisconnect=N',
        '',
        '[SESSION]',
        'BeginString=FIX.4.4',
        `SenderCompID=${opts.senderCompId}`,
        `TargetCompID=${opts.targetCompId}`,
        'HeartBtInt=30',
        '',
      ].join('\n'),
    );
    const env = { ...process.env, FIX_TEST_PASSWORD: opts.password ?? '' };
    const child = spawn(bin, [cfg, scriptPath], { stdio: ['ignore', 'pipe', 'pipe'], env });
    const acceptor = wrap(child, port, dir);
    try {
      const first = await acceptor.waitForLine(/^(READY|ERROR)/, 15_000);
      if (first.startsWith('READY')) return acceptor;
      lastError = first;
    } catch (e) {
      lastError = (e as Error).message;
    }
    await acceptor.stop();
  }
  throw new Error(`the QuickFIX acceptor did not start: ${lastError}`);
}

function wrap(child: ChildProcess, port: number, dir: string): QuickfixAcceptor {
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let partial = '';
  let stderr = '';
  let exited = false;
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    partial += chunk;
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts.filter((l) => l.length > 0));
    for (const w of waiters) w();
  });
  child.stderr?.on('data', (d) => (stderr += d));
  const exitedPromise = new Promise<void>((resolve) => {
    child.on('exit', () => {
      exited = true;
      for (const w of waiters) w();
      resolve();
    });
  });

  return {
    port,
    lines,
    dir,
    waitForLine(match, timeoutMs = 15_000, from = 0) {
      return new Promise<string>((resolve, reject) => {
        const check = () => {
          for (let i = from; i < lines.length; i++) {
            if (match.test(lines[i])) {
              done();
              resolve(lines[i]);
              return;
            }
          }
          if (exited) {
            done();
            reject(
              new Error(
                `the acceptor exited before a line matched ${match}; stderr: ${stderr.slice(0, 2000)}`,
              ),
            );
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for an acceptor line matching ${match}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exitedPromise;
      clearTimeout(killer);
    },
  };
}
