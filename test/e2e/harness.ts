// Shared by the browser end-to-end tests: runs `serve` as a child process on a free port, talks
// to it over the WebSocket as the page would, and launches Debian's Chromium with Playwright.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { WebSocket } from 'ws';
import { ensureRenderer } from '../../build/scripts/ensureRenderer.ts';
import type { RequestChannel, RequestInput, RequestOutput } from '../../shared/ipc/contract.ts';
import type { IpcResult } from '../../shared/ipc/result.ts';
import { WS_PATH } from '../../shared/ipc/wire.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const ARTIFACTS = path.join(ROOT, 'test-artifacts/e2e');
export const CHROMIUM = '/usr/bin/chromium';

export interface ServeHandle {
  /** As printed: http://127.0.0.1:PORT/?token=... */
  url: string;
  token: string;
  origin: string;
  port: number;
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  /** SIGTERM and wait; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface StartServeOptions {
  dataDir: string;
  extraArgs?: string[];
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Script to run instead of electron/cli/serve.ts (e.g. a bundle of it). */
  entry?: string;
}

let rendererReady: Promise<unknown> | null = null;

export async function startServe(o: StartServeOptions): Promise<ServeHandle> {
  rendererReady ??= ensureRenderer();
  await rendererReady;
  const child = spawn(
    process.execPath,
    [
      path.join(ROOT, 'electron/cli/serve.ts'),
      '--port',
      '0',
      '--data-dir',
      o.dataDir,
      ...(o.extraArgs ?? []),
    ],
    { cwd: ROOT, env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve printed no URL within ${o.timeoutMs ?? 30_000} ms\n${stdout}\n${stderr}`));
    }, o.timeoutMs ?? 30_000);
    const check = () => {
      const m = /^Tickscope is serving at (\S+)$/m.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before printing its URL\n${stdout}\n${stderr}`));
    });
  });
  const parsed = new URL(url);
  let stopped: Promise<number | null> | null = null;
  return {
    url,
    token: parsed.searchParams.get('token') ?? '',
    origin: parsed.origin,
    port: Number(parsed.port),
    child,
    output: () => ({ stdout, stderr }),
    stop() {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
        const code = await exited;
        clearTimeout(t);
        return code;
      })();
      return stopped;
    },
  };
}

export interface LaunchBrowserOptions {
  /**
   * Added to the browser's environment, e.g. `{ TZ: 'Asia/Kolkata' }` so the page's local time
   * differs from UTC (pair it with the context's `timezoneId`, which Playwright sets per page).
   */
  env?: NodeJS.ProcessEnv;
}

export async function launchBrowser(o: LaunchBrowserOptions = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    ...(o.env ? { env: { ...process.env, ...o.env } } : {}),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export async function artifactPath(name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
}

export interface WsApi {
  call<C extends RequestChannel>(channel: C, input: RequestInput<C>): Promise<RequestOutput<C>>;
  raw(channel: unknown, input: unknown): Promise<IpcResult<unknown>>;
  events: Array<{ event: string; payload: unknown }>;
  close(): void;
}

/** The contract over the server's WebSocket, as the page uses it (own Origin, token). */
export async function connectWs(s: ServeHandle): Promise<WsApi> {
  const ws = new WebSocket(`ws://127.0.0.1:${s.port}${WS_PATH}?token=${s.token}`, {
    headers: { origin: s.origin },
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let nextId = 1;
  const pending = new Map<number, (r: IpcResult<unknown>) => void>();
  const events: WsApi['events'] = [];
  ws.on('message', (d) => {
    const f = JSON.parse(d.toString()) as {
      id?: number;
      result?: IpcResult<unknown>;
      event?: string;
      payload?: unknown;
    };
    if (typeof f.id === 'number') pending.get(f.id)?.(f.result as IpcResult<unknown>);
    else if (f.event) events.push({ event: f.event, payload: f.payload });
  });
  const raw = (channel: unknown, input: unknown) =>
    new Promise<IpcResult<unknown>>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, channel, input }));
    });
  return {
    raw,
    async call(channel, input) {
      const r = await raw(channel, input);
      if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
      return r.value as never;
    },
    events,
    close: () => ws.close(),
  };
}

export interface BrowserSession {
  dataDir: string;
  serve: ServeHandle;
  browser: Browser;
  ws: WsApi;
  /** Closes the WebSocket, the browser and serve, then deletes dataDir. */
  close(): Promise<void>;
}

export interface BrowserSessionOptions {
  /** Start of the temporary data dir's name, e.g. 'tickscope-e2e-health-'. */
  tmpPrefix: string;
  extraArgs?: string[];
  /** Fills the data dir before serve opens it. */
  seed?: (dataDir: string) => Promise<void>;
  /** Added to serve's environment. */
  serveEnv?: NodeJS.ProcessEnv;
  /** Added to the browser's environment (see LaunchBrowserOptions). */
  browserEnv?: NodeJS.ProcessEnv;
}

/**
 * What a browser test file starts in its `before`: serve on a fresh data dir, Chromium and the
 * page's WebSocket. If any of them fails to start, those already started are closed again.
 */
export async function openBrowserSession(o: BrowserSessionOptions): Promise<BrowserSession> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), o.tmpPrefix));
  const started = await Promise.allSettled([
    (async () => {
      await o.seed?.(dataDir);
      return startServe({ dataDir, extraArgs: o.extraArgs, env: o.serveEnv });
    })(),
    launchBrowser({ env: o.browserEnv }),
  ]);
  const [serveStart, browserStart] = started;
  const serve = serveStart.status === 'fulfilled' ? serveStart.value : undefined;
  const browser = browserStart.status === 'fulfilled' ? browserStart.value : undefined;
  let ws: WsApi | undefined;
  const close = async () => {
    ws?.close();
    await browser?.close();
    await serve?.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    if (serveStart.status === 'rejected') throw serveStart.reason;
    if (browserStart.status === 'rejected') throw browserStart.reason;
    ws = await connectWs(serveStart.value);
    return { dataDir, serve: serveStart.value, browser: browserStart.value, ws, close };
  } catch (err) {
    await close();
    throw err;
  }
}
