// The worker RPC: typed calls, typed errors, one-way messages in order, events, transfers, and
// above all that every pending call settles when the worker exits, crashes, reports itself
// broken or is terminated.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { RemoteError, RpcClient, WorkerFailedError } from '../../../electron/engine/rpc/rpcClient.ts';
import { serveRpc } from '../../../electron/engine/rpc/rpcServer.ts';
import type { EchoApi, EchoEvents, HostApi } from '../../fixtures/rpc/echoApi.ts';

function start(opts: ConstructorParameters<typeof RpcClient<EchoApi, EchoEvents>>[2] = {}) {
  const w = new Worker(new URL('../../fixtures/rpc/echoWorker.ts', import.meta.url));
  return new RpcClient<EchoApi, EchoEvents>('echo', w, opts);
}

test('calls resolve with their values; one-way sends are handled in order with calls', async () => {
  const c = start();
  try {
    assert.equal(await c.call('echo', 'hi'), 'hi');
    assert.deepEqual(await Promise.all([c.call('add', 1, 2), c.call('add', 3, 4)]), [3, 7]);
    c.send('note', 'a');
    c.send('note', 'b');
    assert.deepEqual(await c.call('log'), ['a', 'b']);
    const a = await c.call('doubled', 4);
    assert.deepEqual([...a], [0, 2, 4, 6]);
    assert.equal(c.pending, 0);
  } finally {
    await c.terminate();
  }
});

test('an error thrown in a handler comes back with its kind, path and code, revived if known', async () => {
  const c = start();
  const revived = start({
    reviveError: (env) => (env.kind === 'TypedError' ? new RangeError(`revived: ${env.message}`) : null),
  });
  try {
    await assert.rejects(
      c.call('failTyped', 'disk is full'),
      (e: unknown) =>
        e instanceof RemoteError &&
        e.kind === 'TypedError' &&
        e.message === 'disk is full' &&
        e.path === '/some/file' &&
        e.code === 'ENOSPC',
    );
    await assert.rejects(revived.call('failTyped', 'x'), /revived: x/);
    // The worker is still fine after a failed call.
    assert.equal(await c.call('echo', 'still here'), 'still here');
  } finally {
    await c.terminate();
    await revived.terminate();
  }
});

test('events reach the listener', async () => {
  const seen: number[] = [];
  const c = start({
    onEvent: (event, payload) => event === 'tick' && seen.push((payload as EchoEvents['tick']).n),
  });
  try {
    c.send('emitTick', 1);
    c.send('emitTick', 2);
    await c.call('echo', 'sync');
    assert.deepEqual(seen, [1, 2]);
  } finally {
    await c.terminate();
  }
});

for (const [how, trigger] of [
  ['exits', (c: RpcClient<EchoApi, EchoEvents>) => c.send('exitWith', 3)],
  ['throws outside a handler', (c: RpcClient<EchoApi, EchoEvents>) => c.send('throwUncaught')],
  ['reports a fatal error', (c: RpcClient<EchoApi, EchoEvents>) => c.send('fatal')],
] as const) {
  test(`every pending call rejects with WorkerFailedError when the worker ${how}`, async () => {
    let failure: WorkerFailedError | null = null;
    const c = start({ onFailure: (e) => (failure = e) });
    const hanging = [c.call('hang'), c.call('hang'), c.call('hang')];
    trigger(c);
    for (const h of hanging) {
      await assert.rejects(h, (e: unknown) => e instanceof WorkerFailedError && e.worker === 'echo');
    }
    assert.ok(failure, 'onFailure was called');
    assert.equal(c.pending, 0);
    // Later calls fail at once instead of waiting on a worker that cannot answer.
    await assert.rejects(c.call('echo', 'x'), WorkerFailedError);
    assert.equal(c.send('note', 'x'), false);
    await c.terminate();
  });
}

test('both ends can call: the worker calls back the thread that started it on the same channel', async () => {
  const w = new Worker(new URL('../../fixtures/rpc/echoWorker.ts', import.meta.url));
  // Served on the Worker object itself; the client's replies on the same channel are not its business.
  serveRpc<HostApi>(w, { double: async (n) => n * 2 });
  const c = new RpcClient<EchoApi, EchoEvents>('echo', w);
  try {
    assert.deepEqual(await Promise.all([c.call('askHost', 20), c.call('askHost', 1), c.call('echo', 'x')]), [
      41,
      3,
      'x',
    ]);
    assert.equal(c.failed, null, 'no reply was mistaken for a call, nor a call for a reply');
  } finally {
    await c.terminate();
  }
});

test('terminate rejects what still waits, without reporting a failure', async () => {
  let failures = 0;
  const c = start({ onFailure: () => failures++ });
  const h = c.call('hang');
  await c.terminate();
  await assert.rejects(h, (e: unknown) => e instanceof WorkerFailedError && e.reason === 'terminated');
  assert.equal(failures, 0);
});
