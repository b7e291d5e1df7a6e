// Worker entry: the spill journal's owner, so overflow reaches disk while the writer is busy and
// the main thread never touches a file.
import { parentPort } from 'node:worker_threads';
import { serveRpc } from '../rpc/rpcServer.ts';
import { SpillStore } from '../spill/spillStore.ts';
import type { SpillApi } from './spillApi.ts';

let store: SpillStore | null = null;
const ready = (): SpillStore => {
  if (!store) throw new Error('spill worker: init() was not called');
  return store;
};

serveRpc<SpillApi>(parentPort!, {
  init: (dir, runId) => {
    store = new SpillStore(dir, runId);
    return store.init();
  },
  define: (symbols, sources) => ready().define(symbols, sources),
  append: (batch, sinks, id) => ready().append(batch, sinks, id),
  seal: () => ready().seal(),
  sealed: () => ready().sealed(),
  release: (p, quarantine) => ready().release(p, quarantine),
  pending: () => ready().pending(),
  stop: () => ready().stop(),
});
