// Worker entry: appends overflow batches to the spill journal while the writer is behind, so the
// main thread never touches disk and the queue stays bounded without dropping a tick.
import { parentPort } from 'node:worker_threads';
import { SpillSegmentAppender, encodeSpillRecord } from '../storage/spillJournal.ts';
import type { FromSpill, ToSpill } from './protocol.ts';

const port = parentPort!;
const post = (m: FromSpill) => port.postMessage(m);
const symNames = new Map<number, string>();
const srcNames = new Map<number, string>();
let appender: SpillSegmentAppender | null = null;

port.on('message', (m: ToSpill) => {
  switch (m.type) {
    case 'init':
      appender = new SpillSegmentAppender(m.spillDir, 'overflow');
      return;
    case 'dict':
      for (const [id, n] of m.symbols) symNames.set(id, n);
      for (const [id, n] of m.sources) srcNames.set(id, n);
      return;
    case 'batch': {
      const rec = encodeSpillRecord(
        m.batch,
        (id) => symNames.get(id) ?? `#${id}`,
        (id) => srcNames.get(id) ?? `#${id}`,
        m.sinks,
      );
      try {
        appender!.append(rec, m.batch.n);
        post({ type: 'appended', ticks: m.batch.n, bytes: rec.length });
      } catch (e) {
        post({ type: 'append_failed', ticks: m.batch.n, message: (e as Error).message });
      }
      return;
    }
    case 'seal': {
      const s = appender!.seal();
      post({ type: 'sealed', id: m.id, path: s?.path ?? null, ticks: s?.ticks ?? 0 });
      return;
    }
    case 'flush':
      post({ type: 'flushed', id: m.id });
      return;
    case 'stop':
      appender?.seal();
      post({ type: 'stopped', id: m.id });
      return;
  }
});
