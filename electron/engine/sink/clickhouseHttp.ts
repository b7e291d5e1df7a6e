// ClickHouse over its HTTP interface with Node's http and a keep-alive agent: inserts post a
// pre-built TabSeparated body (several times faster than JSONEachRow through @clickhouse/client)
// and send only settings ClickHouse 18.16 knows. A failure carries the server's own message.
import http from 'node:http';
import https from 'node:https';

export interface ClickhouseTarget {
  url: string;
  user?: string;
  password?: string;
  database?: string;
}

export class ClickhouseError extends Error {
  readonly status: number | null;
  constructor(message: string, status: number | null) {
    super(message);
    this.name = 'ClickhouseError';
    this.status = status;
  }
}

export class ClickhouseHttp {
  private readonly base: URL;
  private readonly target: ClickhouseTarget;
  private readonly agent: http.Agent;
  private readonly timeoutMs: number;

  constructor(target: ClickhouseTarget, timeoutMs = 30_000) {
    this.target = target;
    this.base = new URL(target.url);
    this.timeoutMs = timeoutMs;
    this.agent =
      this.base.protocol === 'https:'
        ? new https.Agent({ keepAlive: true, maxSockets: 4 })
        : new http.Agent({ keepAlive: true, maxSockets: 4 });
  }

  /** Runs one statement; returns the response body (e.g. TSV rows). */
  query(sql: string, settings: Record<string, string | number> = {}): Promise<string> {
    return this.post(settings, sql);
  }

  /**
   * Inserts TabSeparated rows. `insert_distributed_sync` makes a Distributed table answer only
   * after every shard stored its part, so an acknowledged batch is on the shards, not in a queue
   * on the node that took it.
   */
  insertTsv(table: string, tsv: string | Buffer): Promise<string> {
    return this.post({ query: `INSERT INTO ${table} FORMAT TabSeparated`, insert_distributed_sync: 1 }, tsv);
  }

  close(): void {
    this.agent.destroy();
  }

  private post(params: Record<string, string | number>, body: string | Buffer): Promise<string> {
    const u = new URL(this.base.href);
    for (const [k, v] of Object.entries(params)) u.searchParams.set(k, String(v));
    if (this.target.database) u.searchParams.set('database', this.target.database);
    const headers: Record<string, string | number> = { 'Content-Length': Buffer.byteLength(body) };
    if (this.target.user) headers['X-ClickHouse-User'] = this.target.user;
    if (this.target.password) headers['X-ClickHouse-Key'] = this.target.password;
    const lib = u.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request(
        u,
        { method: 'POST', agent: this.agent, headers, timeout: this.timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) =>
            reject(new ClickhouseError(`ClickHouse at ${this.base.host}: ${e.message}`, null)),
          );
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode === 200) resolve(text);
            else
              reject(
                new ClickhouseError(
                  `ClickHouse at ${this.base.host} answered ${res.statusCode}: ${text.trim().slice(0, 400)}`,
                  res.statusCode ?? null,
                ),
              );
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer in ${this.timeoutMs} ms`)));
      req.on('error', (e) =>
        reject(new ClickhouseError(`ClickHouse at ${this.base.host}: ${e.message}`, null)),
      );
      req.end(body);
    });
  }
}
