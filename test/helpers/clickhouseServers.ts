// Real ClickHouse servers from Debian's package for the sink tests: N shards on free loopback
// ports, each with the same `remote_servers` cluster of all shards, started, killed -9 and
// restarted by the test. `clickhouseMissing()` names why a test must skip.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { serverConfigXml, usersXml, type ShardPorts } from '../fixtures/clickhouse/serverConfig.ts';
import { makeTempDir } from './tempDir.ts';

const BINARIES = ['/usr/sbin/clickhouse-server', '/usr/bin/clickhouse-server', '/usr/bin/clickhouse'];

function binary(): string | null {
  return BINARIES.find((b) => fs.existsSync(b)) ?? null;
}

export function clickhouseMissing(): string | null {
  return binary() ? null : `clickhouse-server not installed (looked for ${BINARIES.join(', ')})`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface ShardServer {
  ports: ShardPorts;
  url: string;
  dir: string;
  proc: ChildProcess | null;
}

export interface ClickhouseCluster {
  cluster: string;
  shards: ShardServer[];
  /** SQL over HTTP against shard `i` (default 0); throws with the server's message on failure. */
  query(sql: string, shard?: number): Promise<string>;
  kill(shard: number): Promise<void>;
  start(shard: number): Promise<void>;
  stop(): Promise<void>;
}

export async function httpQuery(url: string, sql: string): Promise<string> {
  const res = await fetch(url, { method: 'POST', body: sql });
  const text = await res.text();
  if (!res.ok) throw new Error(`ClickHouse ${res.status}: ${text.slice(0, 500)}`);
  return text;
}

async function waitReady(s: ShardServer, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await httpQuery(s.url, 'SELECT 1')).trim() === '1') return;
    } catch {
      /* not up yet */
    }
    if (s.proc === null || s.proc.exitCode !== null) {
      const log = fs.existsSync(path.join(s.dir, 'server.err.log'))
        ? fs.readFileSync(path.join(s.dir, 'server.err.log'), 'utf8').slice(-2000)
        : '';
      throw new Error(`clickhouse-server on ${s.url} exited: ${log}`);
    }
    if (Date.now() > until) throw new Error(`clickhouse-server on ${s.url} not ready in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startClickhouseCluster(
  shardCount = 2,
  cluster = 'ticks_cluster',
): Promise<ClickhouseCluster> {
  const bin = binary();
  if (!bin) throw new Error(clickhouseMissing() ?? 'clickhouse-server missing');
  const root = makeTempDir('clickhouse');
  const ports: ShardPorts[] = [];
  for (let i = 0; i < shardCount; i++) ports.push({ http: await freePort(), tcp: await freePort() });
  const shards: ShardServer[] = ports.map((p, i) => {
    const dir = path.join(root, `shard${i}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'config.xml'), serverConfigXml(dir, p, ports, cluster));
    fs.writeFileSync(path.join(dir, 'users.xml'), usersXml());
    return { ports: p, url: `http://127.0.0.1:${p.http}/`, dir, proc: null };
  });

  const start = async (i: number): Promise<void> => {
    const s = shards[i];
    const args = bin.endsWith('/clickhouse')
      ? ['server', `--config-file=${s.dir}/config.xml`]
      : [`--config-file=${s.dir}/config.xml`];
    s.proc = spawn(bin, args, { cwd: s.dir, stdio: 'ignore' });
    await waitReady(s, 30_000);
  };
  const kill = async (i: number): Promise<void> => {
    const p = shards[i].proc;
    shards[i].proc = null;
    if (!p || p.exitCode !== null) return;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await gone;
  };
  await Promise.all(shards.map((_, i) => start(i)));
  const onExit = (): void => {
    for (const s of shards) s.proc?.kill('SIGKILL');
  };
  process.on('exit', onExit);
  return {
    cluster,
    shards,
    query: (sql, shard = 0) => httpQuery(shards[shard].url, sql),
    kill,
    start,
    stop: async () => {
      process.off('exit', onExit);
      await Promise.all(shards.map((_, i) => kill(i)));
    },
  };
}
