// Reader worker threads answering queries; each call goes to the least loaded one, so a slow
// query (a day-long range) does not queue the quick ones behind it. A reader that dies is
// replaced; what waited on it rejects with WorkerFailedError.
import type { Worker } from 'node:worker_threads';
import { reviveEngineError } from '../errors.ts';
import { RpcClient } from '../rpc/rpcClient.ts';
import type { ReaderApi } from '../workers/readerApi.ts';

type Result<M extends keyof ReaderApi> = Awaited<ReturnType<ReaderApi[M]>>;

export class ReaderPool {
  private readonly readers: RpcClient<ReaderApi>[] = [];
  private readonly spawn: () => Worker;
  private closed = false;

  constructor(size: number, spawn: () => Worker) {
    this.spawn = spawn;
    for (let i = 0; i < size; i++) this.readers.push(this.start());
  }

  get size(): number {
    return this.readers.length;
  }

  private start(): RpcClient<ReaderApi> {
    const r: RpcClient<ReaderApi> = new RpcClient<ReaderApi>('reader', this.spawn(), {
      unrefWhenIdle: true,
      reviveError: reviveEngineError,
      onFailure: () => {
        const i = this.readers.indexOf(r);
        if (i >= 0 && !this.closed) this.readers[i] = this.start();
      },
    });
    return r;
  }

  /** The `count` least loaded readers, least loaded first. */
  leastLoaded(count: number): RpcClient<ReaderApi>[] {
    return [...this.readers].sort((a, b) => a.pending - b.pending).slice(0, count);
  }

  call<M extends keyof ReaderApi & string>(method: M, ...args: Parameters<ReaderApi[M]>): Promise<Result<M>> {
    return this.leastLoaded(1)[0].call(method, ...args);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.readers.map(async (r) => {
        await r.call('close').catch(() => undefined);
        await r.terminate();
      }),
    );
  }
}
