// The spill journal's owner, run inside the spill worker: appends overflow and parked batches
// (grouped: one write and one sync for everything that arrived together), seals segments for
// replay, deletes or quarantines them after replay, and keeps the only count of what they hold.
import fs from 'node:fs';
import { FLAG_COUNTED, decodeSpillJournal, encodeSpillRecord } from '../storage/spillJournal.ts';
import type { ColumnBatch } from '../storage/columnBatch.ts';
import {
  SpillSegmentAppender,
  listQuarantined,
  listSpillSegments,
  quarantineSegment,
  sealLeftover,
  segmentRunId,
} from '../storage/spillSegments.ts';
import type { SegmentInfo, SpillInit, SpillPending } from '../workers/spillApi.ts';

/** A segment is sealed for replay at this size even while overflow continues. */
const SEGMENT_SEAL_BYTES = 64 * 1024 * 1024;

interface QueuedAppend {
  record: Buffer;
  ticks: number;
  uncounted: number;
  resolve: (p: SpillPending) => void;
  reject: (e: Error) => void;
}

export class SpillStore {
  private readonly dir: string;
  private readonly runId: string;
  private readonly appender: SpillSegmentAppender;
  private readonly symNames = new Map<number, string>();
  private readonly srcNames = new Map<number, string>();
  private readonly segments = new Map<string, SegmentInfo>();
  private openUncounted = 0;
  private queue: QueuedAppend[] = [];
  private scheduled = false;
  private quarantinedCount = 0;

  constructor(dir: string, runId: string) {
    this.dir = dir;
    this.runId = runId;
    this.appender = new SpillSegmentAppender(dir, 'overflow', runId);
  }

  /** Seals segments a crash left open and counts what every segment holds. */
  init(): SpillInit {
    const damaged: string[] = [];
    const appendedIds: number[] = [];
    for (const found of listSpillSegments(this.dir)) {
      const p = sealLeftover(found);
      const info = this.inspect(p, appendedIds);
      if (info.damaged) damaged.push(p);
      if (info.seg.ticks === 0 && !info.damaged) {
        fs.rmSync(p, { force: true });
        continue;
      }
      this.segments.set(p, info.seg);
    }
    this.quarantinedCount = listQuarantined(this.dir).length;
    return { pending: this.pending(), damaged, appendedIds };
  }

  private inspect(p: string, appendedIds: number[]): { seg: SegmentInfo; damaged: boolean } {
    const buf = fs.readFileSync(p);
    const d = decodeSpillJournal(buf);
    const thisRun = segmentRunId(p) === this.runId;
    let ticks = 0;
    let uncounted = 0;
    for (const r of d.records) {
      ticks += r.batch.n;
      if ((r.sinks & FLAG_COUNTED) === 0) uncounted += r.batch.n;
      if (thisRun && r.id > 0) appendedIds.push(r.id);
    }
    return {
      seg: { path: p, ticks, uncounted, bytes: buf.length, thisRun },
      damaged: d.damagedBytes > 0 || d.tornBytes > 0,
    };
  }

  define(symbols: [number, string][], sources: [number, string][]): void {
    for (const [id, n] of symbols) this.symNames.set(id, n);
    for (const [id, n] of sources) this.srcNames.set(id, n);
  }

  append(batch: ColumnBatch, sinks: number, batchId: number): Promise<SpillPending> {
    const record = encodeSpillRecord(
      batch,
      (id) => this.symNames.get(id) ?? `#${id}`,
      (id) => this.srcNames.get(id) ?? `#${id}`,
      sinks,
      batchId,
    );
    const uncounted = (sinks & FLAG_COUNTED) === 0 ? batch.n : 0;
    return new Promise((resolve, reject) => {
      this.queue.push({ record, ticks: batch.n, uncounted, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.writeQueued());
      }
    });
  }

  private writeQueued(): void {
    this.scheduled = false;
    const group = this.queue;
    this.queue = [];
    if (group.length === 0) return;
    let ticks = 0;
    let uncounted = 0;
    for (const q of group) {
      ticks += q.ticks;
      uncounted += q.uncounted;
    }
    try {
      this.appender.append(
        group.map((q) => q.record),
        ticks,
      );
    } catch (e) {
      for (const q of group) q.reject(e as Error);
      return;
    }
    this.openUncounted += uncounted;
    if (this.appender.bytes >= SEGMENT_SEAL_BYTES) this.seal();
    const p = this.pending();
    for (const q of group) q.resolve(p);
  }

  seal(): SegmentInfo | null {
    const uncounted = this.openUncounted;
    const s = this.appender.seal();
    this.openUncounted = 0;
    if (!s) return null;
    const seg: SegmentInfo = { path: s.path, ticks: s.ticks, uncounted, bytes: s.bytes, thisRun: true };
    this.segments.set(s.path, seg);
    return seg;
  }

  sealed(): SegmentInfo[] {
    return [...this.segments.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  release(p: string, quarantine: boolean): SpillPending {
    if (!this.segments.has(p)) return this.pending();
    if (quarantine) {
      quarantineSegment(p);
      this.quarantinedCount++;
    } else fs.rmSync(p, { force: true });
    this.segments.delete(p);
    return this.pending();
  }

  pending(): SpillPending {
    let thisRun = this.openUncounted;
    let earlier = 0;
    let bytes = this.appender.bytes;
    for (const s of this.segments.values()) {
      if (s.thisRun) thisRun += s.uncounted;
      else earlier += s.ticks;
      bytes += s.bytes;
    }
    return { thisRun, earlier, bytes, quarantined: this.quarantinedCount };
  }

  stop(): SpillPending {
    this.writeQueued();
    this.seal();
    return this.pending();
  }
}
