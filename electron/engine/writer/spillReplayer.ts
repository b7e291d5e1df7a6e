// Replays one journal segment into its sinks: every intact record (the decoder steps over damage),
// names mapped onto the writer's ids, each UTC day written with the writer's retries. A write that
// still fails rejects the replay, and the segment stays in the journal to be tried again.
import fs from 'node:fs';
import type { ColumnBatch } from '../storage/columnBatch.ts';
import { FLAG_COUNTED, SINK_JSON, SINK_SQLITE, decodeSpillJournal } from '../storage/spillJournal.ts';
import type { ReplayResult } from '../workers/writerApi.ts';
import { groupByDay } from './batchGrouping.ts';

type Attempt<T> = Promise<{ ok: true; value: T } | { ok: false; message: string }>;

export interface ReplayTarget {
  symbolId(name: string): number;
  sourceId(name: string): number;
  sqlite(day: number, batch: ColumnBatch, idx: Int32Array): Attempt<{ inserted: number; duplicates: number }>;
  json(day: number, batch: ColumnBatch, idx: Int32Array): Attempt<boolean>;
}

export async function replaySegment(path: string, to: ReplayTarget): Promise<ReplayResult> {
  const d = decodeSpillJournal(fs.readFileSync(path));
  const out: ReplayResult = {
    ticks: 0,
    uncountedTicks: 0,
    written: 0,
    duplicates: 0,
    jsonWritten: 0,
    jsonOnlyWritten: 0,
    damagedBytes: d.damagedBytes,
    tornBytes: d.tornBytes,
  };
  for (const rec of d.records) {
    const batch = rec.batch;
    // Each record carries its own name tables: map them onto this writer's ids.
    const symIds = rec.symNames.map((n) => to.symbolId(n));
    const srcIds = rec.srcNames.map((n) => to.sourceId(n));
    for (let i = 0; i < batch.n; i++) {
      batch.sym[i] = symIds[batch.sym[i]];
      batch.src[i] = srcIds[batch.src[i]];
    }
    const counted = (rec.sinks & FLAG_COUNTED) !== 0;
    for (const g of groupByDay(batch)) {
      if (rec.sinks & SINK_SQLITE) {
        const r = await to.sqlite(g.day, batch, g.idx);
        if (!r.ok) throw new Error(`replay of ${path}: ${r.message}`);
        out.written += r.value.inserted;
        out.duplicates += r.value.duplicates;
      }
      if (rec.sinks & SINK_JSON) {
        const r = await to.json(g.day, batch, g.idx);
        if (!r.ok) throw new Error(`replay of ${path}: ${r.message}`);
        out.jsonWritten += g.idx.length;
        if (!(rec.sinks & SINK_SQLITE) && !counted) out.jsonOnlyWritten += g.idx.length;
      }
    }
    out.ticks += batch.n;
    if (!counted) out.uncountedTicks += batch.n;
  }
  return out;
}
