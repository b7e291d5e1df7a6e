// Main-thread end of the worker RPC. Every call gets a sequence number and a promise; every
// promise settles: with the reply, or with a WorkerFailedError when the worker exits, throws,
// reports itself broken, or is terminated. Nothing waits on a worker that can no longer answer.
import type { MessagePort, Worker } from 'node:worker_threads';
import type { ErrorEnvelope, FromWorker, RpcApi, RpcChannel, RpcEvents, ToWorker } from './rpcWire.ts';

/** A worker went away (or broke) while something waited on it. */
export class WorkerFailedError extends Error {
  readonly worker: string;
  readonly reason: string;
  constructor(worker: string, reason: string) {
    super(`the ${worker} worker failed: ${reason}`);
    this.name = 'WorkerFailedError';
    this.worker = worker;
    this.reason = reason;
  }
}

/** An error thrown inside the worker, rebuilt when no typed class claims its kind. */
export class RemoteError extends Error {
  readonly kind: string;
  readonly path: string | undefined;
  readonly code: string | undefined;
  constructor(env: ErrorEnvelope) {
    super(env.message);
    this.name = env.kind;
    this.kind = env.kind;
    this.path = env.path;
    this.code = env.code;
  }
}

type Result<A extends RpcApi, M extends keyof A> = Awaited<ReturnType<A[M]>>;

export interface RpcClientOptions<E extends RpcEvents> {
  onEvent?: <K extends keyof E & string>(event: K, payload: E[K]) => void;
  /** Called once, when the worker fails for any reason but a terminate() we asked for. */
  onFailure?: (err: WorkerFailedError) => void;
  /** Rebuilds typed errors (e.g. QueryError) from their envelope; RemoteError otherwise. */
  reviveError?: (env: ErrorEnvelope) => Error | null;
  /** Let the process exit while nothing is pending (readers); workers that own data stay referenced. */
  unrefWhenIdle?: boolean;
}

interface Pending {
  method: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/**
 * Calls a worker (or, from inside a worker, the thread that started it: then there is no exit
 * to watch, since this end goes down with the other).
 */
export class RpcClient<A extends RpcApi, E extends RpcEvents = RpcEvents> {
  readonly name: string;
  private readonly worker: Worker | null;
  private readonly channel: RpcChannel;
  private readonly opts: RpcClientOptions<E>;
  private readonly waiting = new Map<number, Pending>();
  private nextId = 1;
  private failure: WorkerFailedError | null = null;
  private terminating = false;
  private readonly exited: Promise<void>;

  constructor(name: string, endpoint: RpcChannel, opts: RpcClientOptions<E> = {}) {
    this.name = name;
    this.channel = endpoint;
    this.opts = opts;
    (endpoint as MessagePort).on('message', (m: FromWorker) => this.receive(m));
    const worker = 'terminate' in endpoint ? endpoint : null;
    this.worker = worker;
    if (!worker) {
      this.exited = Promise.resolve();
      return;
    }
    if (opts.unrefWhenIdle) worker.unref();
    worker.on('error', (e) => this.fail(`crashed: ${e.message}`));
    worker.on('messageerror', (e) => this.fail(`sent a message that could not be read: ${e.message}`));
    this.exited = new Promise((resolve) =>
      worker.once('exit', (code) => {
        this.fail(this.terminating ? 'terminated' : `exited with code ${code}`);
        resolve();
      }),
    );
  }

  /** Calls that have not settled yet. */
  get pending(): number {
    return this.waiting.size;
  }

  /** Why the worker can no longer answer, or null while it is alive. */
  get failed(): WorkerFailedError | null {
    return this.failure;
  }

  call<M extends keyof A & string>(method: M, ...args: Parameters<A[M]>): Promise<Result<A, M>> {
    return this.callTransfer(method, [], ...args);
  }

  /** A call whose arguments include buffers to move (not copy) to the worker. */
  callTransfer<M extends keyof A & string>(
    method: M,
    transfer: ArrayBuffer[],
    ...args: Parameters<A[M]>
  ): Promise<Result<A, M>> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<Result<A, M>>((resolve, reject) => {
      this.waiting.set(id, { method, resolve: resolve as (v: unknown) => void, reject });
      if (this.opts.unrefWhenIdle && this.waiting.size === 1) this.worker?.ref();
      try {
        this.channel.postMessage({ rpc: 'call', id, method, args } satisfies ToWorker, transfer);
      } catch (e) {
        this.settle(id);
        reject(e as Error);
      }
    });
  }

  /** One-way message, handled in order with calls; false when the worker can no longer take it. */
  send<M extends keyof A & string>(method: M, ...args: Parameters<A[M]>): boolean {
    if (this.failure) return false;
    this.channel.postMessage({ rpc: 'send', method, args } satisfies ToWorker);
    return true;
  }

  /** Stops the worker; whatever still waits on it rejects with WorkerFailedError('terminated'). */
  async terminate(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    if (this.failure && this.failure.reason !== 'terminated') {
      await worker.terminate();
      return;
    }
    this.terminating = true;
    await worker.terminate();
    await this.exited;
  }

  private settle(id: number): Pending | undefined {
    const p = this.waiting.get(id);
    this.waiting.delete(id);
    if (this.opts.unrefWhenIdle && this.waiting.size === 0) this.worker?.unref();
    return p;
  }

  private receive(m: FromWorker): void {
    switch (m.rpc) {
      case 'reply': {
        const p = this.settle(m.id);
        if (!p) return;
        if (m.ok) p.resolve(m.value);
        else p.reject(this.opts.reviveError?.(m.error) ?? new RemoteError(m.error));
        return;
      }
      case 'event':
        this.opts.onEvent?.(m.event as keyof E & string, m.payload as E[keyof E & string]);
        return;
      case 'fatal':
        this.fail(`reported a fatal error: ${m.error.message}`);
        void this.worker?.terminate();
        return;
    }
  }

  private fail(reason: string): void {
    if (this.failure) return;
    this.failure = new WorkerFailedError(this.name, reason);
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const p of waiting) p.reject(this.failure);
    if (!this.terminating) this.opts.onFailure?.(this.failure);
  }
}
