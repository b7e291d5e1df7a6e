// The spill journal's files: segments named by run, appended in groups with one sync, sealed for
// replay, and quarantined (kept, renamed) when they hold unreadable bytes. A failed append is cut
// back to the last whole record, so a full disk never leaves garbage in a segment.
import fs from 'node:fs';
import path from 'node:path';
import { makeDirsSync } from '../fs/makeDirs.ts';

export const SEGMENT_EXT = '.tsj';
export const OPEN_EXT = '.tsj.open';
export const QUARANTINE_EXT = '.quarantined';

/** Sealed and open segments, oldest first by name (names start with a sortable time). */
export function listSpillSegments(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((f) => f.endsWith(SEGMENT_EXT) || f.endsWith(OPEN_EXT))
    .sort()
    .map((f) => path.join(dir, f));
}

export function listQuarantined(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(QUARANTINE_EXT))
      .sort()
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

let segmentCounter = 0;

/** `overflow-<time>-<run>-<n>.tsj`: the run id tells this run's segments from earlier ones. */
export function newSegmentName(dir: string, prefix: string, runId: string): string {
  const stamp = new Date().toISOString().replace(/[-:.]/g, '');
  return path.join(dir, `${prefix}-${stamp}-${runId}-${++segmentCounter}${SEGMENT_EXT}`);
}

export function segmentRunId(file: string): string | null {
  const m = /-([A-Za-z0-9]+)-\d+\.tsj(\.open)?$/.exec(path.basename(file));
  return m ? m[1] : null;
}

/** Renames a segment left open by a crash to its sealed name; returns the sealed path. */
export function sealLeftover(file: string): string {
  if (!file.endsWith(OPEN_EXT)) return file;
  const sealed = file.slice(0, -'.open'.length);
  fs.renameSync(file, sealed);
  return sealed;
}

/** Keeps a damaged segment for inspection instead of deleting it. */
export function quarantineSegment(file: string): string {
  const target = `${file}${QUARANTINE_EXT}`;
  fs.renameSync(file, target);
  return target;
}

/** An open segment that overflow records are appended to until it is sealed for replay. */
export class SpillSegmentAppender {
  private fd: number | null = null;
  private openPath: string | null = null;
  ticks = 0;
  bytes = 0;
  private readonly dir: string;
  private readonly prefix: string;
  private readonly runId: string;

  constructor(dir: string, prefix: string, runId: string) {
    this.dir = dir;
    this.prefix = prefix;
    this.runId = runId;
  }

  /** Appends records with one write and one sync; on failure the segment is cut back and it throws. */
  append(records: Buffer[], ticks: number): void {
    if (this.fd === null) {
      makeDirsSync(this.dir);
      this.openPath = `${newSegmentName(this.dir, this.prefix, this.runId).slice(0, -SEGMENT_EXT.length)}${OPEN_EXT}`;
      this.fd = fs.openSync(this.openPath, 'w');
    }
    const data = records.length === 1 ? records[0] : Buffer.concat(records);
    try {
      let off = 0;
      while (off < data.length) off += fs.writeSync(this.fd, data, off, data.length - off, this.bytes + off);
      fs.fdatasyncSync(this.fd);
    } catch (e) {
      try {
        fs.ftruncateSync(this.fd, this.bytes);
      } catch {
        // the truncate failing too changes nothing: the decoder stops at the torn bytes
      }
      throw e;
    }
    this.ticks += ticks;
    this.bytes += data.length;
  }

  get hasData(): boolean {
    return this.fd !== null && this.ticks > 0;
  }

  /** Closes the current segment and renames it to .tsj; returns its path, or null when empty. */
  seal(): { path: string; ticks: number; bytes: number } | null {
    if (this.fd === null || this.openPath === null) return null;
    fs.closeSync(this.fd);
    const open = this.openPath;
    const out = { path: open.slice(0, -'.open'.length), ticks: this.ticks, bytes: this.bytes };
    this.fd = null;
    this.openPath = null;
    this.ticks = 0;
    this.bytes = 0;
    if (out.ticks === 0) {
      fs.rmSync(open, { force: true });
      return null;
    }
    fs.renameSync(open, out.path);
    return out;
  }
}
