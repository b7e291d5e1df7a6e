// Every feed's latest status as the Feeds tab keeps it: the running feeds as last pushed, and the
// last status of feeds that stopped, so their counters and last error stay readable after a stop.
import type { FeedStatus } from '../../shared/feeds/feedStatus.ts';

export interface StatusBook {
  /** Running feeds by id, as last pushed. */
  running: ReadonlyMap<string, FeedStatus>;
  /** The latest status of every feed seen running this session (also after it stopped). */
  last: ReadonlyMap<string, FeedStatus>;
  /** Wall-clock ms at which a feed was seen to stop. */
  stoppedAtMs: ReadonlyMap<string, number>;
  /** Wall-clock ms of the latest push (countdowns such as "next retry" run from it). */
  atMs: number;
  /** False until the first status list arrived. */
  known: boolean;
}

export const EMPTY_BOOK: StatusBook = {
  running: new Map(),
  last: new Map(),
  stoppedAtMs: new Map(),
  atMs: 0,
  known: false,
};

export function nextBook(prev: StatusBook, list: readonly FeedStatus[], atMs: number): StatusBook {
  const running = new Map(list.filter((s) => s.state !== 'stopped').map((s) => [s.id, s]));
  const last = new Map(prev.last);
  for (const s of list) last.set(s.id, s);
  const stoppedAtMs = new Map(prev.stoppedAtMs);
  for (const id of prev.running.keys()) if (!running.has(id)) stoppedAtMs.set(id, atMs);
  for (const id of running.keys()) stoppedAtMs.delete(id);
  return { running, last, stoppedAtMs, atMs, known: true };
}
