// Where the sink is in the day files, persisted after every acknowledged insert (atomic write),
// so a restart resumes there. Per day: the stream cursor after the last forwarded tick, how many
// ticks that cursor covers, and whether the closed day was forwarded whole.
import fs from 'node:fs';
import { writeFileAtomic } from '../fs/writeFileAtomic.ts';

export interface DayCursor {
  /** Stream cursor after the last forwarded tick of the day; null: from the day's start. */
  cursor: string | null;
  /** Ticks of the day the cursor covers (forwarded since the day's pass began). */
  sent: number;
  /** Closed day forwarded whole: only a grown stored count sends it again. */
  done: boolean;
}

export interface SinkCursorState {
  version: 1;
  days: Record<string, DayCursor>;
}

export function emptyCursor(): SinkCursorState {
  return { version: 1, days: {} };
}

/** Absent file: a new sink (everything is backfilled). A damaged one is named, not reset. */
export function loadSinkCursor(file: string): SinkCursorState {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyCursor();
    throw e;
  }
  const v = JSON.parse(text) as SinkCursorState;
  if (v?.version !== 1 || typeof v.days !== 'object' || v.days === null)
    throw new Error(
      `sink cursor ${file} is not a version-1 cursor file; move it away to re-forward every day`,
    );
  return v;
}

export function saveSinkCursor(file: string, state: SinkCursorState): Promise<void> {
  return writeFileAtomic(file, JSON.stringify(state), { fsync: true });
}
