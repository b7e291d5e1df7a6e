// Worker entry: owns every write connection. All SQLite and day-file writes of the recorder happen here.
import { parentPort } from 'node:worker_threads';
import { serveRpc } from '../rpc/rpcServer.ts';
import { TickWriter } from '../writer/tickWriter.ts';
import type { WriterApi, WriterEvents } from './writerApi.ts';

let writer: TickWriter | null = null;
const ready = (): TickWriter => {
  if (!writer) throw new Error('writer worker: init() was not called');
  return writer;
};

const server = serveRpc<WriterApi, WriterEvents>(parentPort!, {
  init: (settings, todayIndex, openToday) => {
    writer = new TickWriter((event, payload) => server.emit(event, payload));
    writer.init(settings, todayIndex, openToday);
  },
  define: (symbols, sources) => ready().define(symbols, sources),
  submit: (id, sinks, batch, poolId, n) => ready().submit(id, sinks, batch, poolId, n),
  forget: (poolId) => ready().forget(poolId),
  submitFeedEvents: (id, events) => ready().submitFeedEvents(id, events),
  flush: () => ready().flush(),
  replay: (p) => ready().replay(p),
  rotate: (today, openToday) => ready().rotate(today, openToday),
  deleteDays: (days, jsonBeforeDay) => ready().deleteDays(days, jsonBeforeDay),
  swapArchive: (prepared) => ready().swapArchive(prepared),
  reportDisk: () => ready().reportDisk(),
  stop: () => (writer ? writer.stop() : { problems: [] }),
});
