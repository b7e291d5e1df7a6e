// Reads one source file into the sink: batches go to the store as they are parsed, with up to
// BATCHES_IN_FLIGHT at the store at once (so that a parsing thread reads ahead while the store
// ingests), and the ticks the store accepted are tallied per symbol-day for the ledger.
import type { MigrationFormat } from '../../shared/migration.ts';
import { DayTallyCollector } from './dayTally.ts';
import type { DayTallies } from './dayTally.ts';
import type { TickBatch } from './tickBatch.ts';
import { readTickFile } from './tickFileReader.ts';
import type { ReadFileResult } from './tickFileReader.ts';
import type { TickSink } from './tickSink.ts';

const BATCHES_IN_FLIGHT = 4;

export interface IngestFileInput {
  absPath: string;
  relPath: string;
  format: MigrationFormat;
  fallbackSymbol: string | null;
  batchSize: number;
  serverOffsetHours: number;
  /** Hash the raw bytes while reading (false when the caller already has the hash). */
  hash: boolean;
  /** Null for a dry run: ticks are counted as accepted, nothing is stored. */
  sink: TickSink | null;
  /** When set, tallies the accepted ticks per symbol-day (ticks without a source get this one). */
  tallySource: string | null;
  signal?: AbortSignal;
  /** Ticks parsed into a batch (rejected records are reported through onReject only). */
  onRead(ticks: number): void;
  onAccepted(ticks: number): void;
  /** A tick rejected by the reader or by the store. */
  onReject(location: string, reason: string): void;
  onProgress(rawBytes: number): void;
}

export interface IngestFileResult {
  read: ReadFileResult;
  accepted: number;
  throttled: number;
  /** Rejected by the reader and by the store. */
  rejected: number;
  days: DayTallies | null;
}

export async function ingestFile(o: IngestFileInput): Promise<IngestFileResult> {
  const tallies = o.tallySource !== null ? new DayTallyCollector(o.tallySource) : null;
  const sink = o.sink;
  let accepted = 0;
  let throttled = 0;
  let rejected = 0;
  const inFlight = new Set<Promise<void>>();
  let ingestError: unknown = null;
  const onBatch = async (b: TickBatch, locKind: string): Promise<void> => {
    if (ingestError !== null) throw ingestError;
    o.onRead(b.count);
    if (!sink) {
      accepted += b.count;
      o.onAccepted(b.count);
      return;
    }
    const p = sink.ingest(b).then((r) => {
      accepted += r.accepted;
      throttled += r.throttled;
      rejected += r.rejectedIndex.length;
      o.onAccepted(r.accepted);
      for (let k = 0; k < r.rejectedIndex.length; k++) {
        o.onReject(`${locKind} ${b.loc[r.rejectedIndex[k]]}`, r.rejectedReason[k]);
      }
      tallies?.addBatch(b, r.rejectedIndex);
    });
    inFlight.add(p);
    p.then(
      () => inFlight.delete(p),
      (err: unknown) => {
        inFlight.delete(p);
        ingestError ??= err;
      },
    );
    if (inFlight.size >= BATCHES_IN_FLIGHT) await Promise.race(inFlight);
  };
  const read = await readTickFile({
    absPath: o.absPath,
    relPath: o.relPath,
    format: o.format,
    batchSize: o.batchSize,
    serverOffsetHours: o.serverOffsetHours,
    fallbackSymbol: o.fallbackSymbol,
    hash: o.hash,
    signal: o.signal,
    onReject: (loc, reason) => {
      rejected++;
      o.onReject(loc, reason);
    },
    onBatch,
    onProgress: o.onProgress,
  });
  await Promise.allSettled(inFlight);
  if (ingestError !== null) throw ingestError;
  if (sink) await sink.flush();
  return { read, accepted, throttled, rejected, days: tallies?.days ?? null };
}
