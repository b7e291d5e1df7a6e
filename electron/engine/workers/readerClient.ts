// Main-thread side of the reader worker: a promise per request, typed errors on the way back.
import type { Worker } from 'node:worker_threads';
import { QueryError } from '../errors.ts';
import { isPacked, unpackColumns } from './columnTransfer.ts';
import type { ReaderRequest, ReaderResponse } from './readerWorker.ts';
import { spawnWorker } from './spawnWorker.ts';

type Op = ReaderRequest['op'];
type ArgsOf<O extends Op> = Extract<ReaderRequest, { op: O }>['args'];

export class ReaderClient {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private dead: Error | null = null;

  constructor(sqliteDir: string) {
    this.worker = spawnWorker('readerWorker', { sqliteDir });
    this.worker.unref();
    this.worker.on('message', (r: ReaderResponse) => {
      const p = this.pending.get(r.id);
      if (!p) return;
      this.pending.delete(r.id);
      if (r.ok) p.resolve(isPacked(r.value) ? unpackColumns(r.value) : r.value);
      else
        p.reject(
          r.error.name === 'QueryError' ? new QueryError(r.error.message) : new Error(r.error.message),
        );
    });
    this.worker.on('error', (e) => this.failAll(e));
    this.worker.on('exit', (code) => this.failAll(new Error(`reader worker exited with code ${code}`)));
  }

  private failAll(e: Error): void {
    this.dead = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  call<O extends Op>(op: O, ...args: ArgsOf<O>): Promise<unknown> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, op, args });
    }).finally(() => {
      if (this.pending.size === 0) this.worker.unref();
    });
  }

  async close(): Promise<void> {
    if (this.dead) return;
    await this.call('close').catch(() => undefined);
    await this.worker.terminate();
  }
}
