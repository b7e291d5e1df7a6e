// What marks a day file as archived, and the fingerprint a compaction compares before it swaps
// a compacted file in: anything written to the day after it was read changes the fingerprint.
import type Database from 'better-sqlite3';

export function isArchived(db: Database.Database): boolean {
  return (
    (db.prepare("SELECT value FROM meta WHERE key = 'tier'").pluck().get() as string | undefined) ===
    'archived'
  );
}

/** Tick count, dictionary sizes and feed events: a late tick, source or event changes it. */
export function dayFingerprint(db: Database.Database): string {
  const r = db
    .prepare(
      `SELECT (SELECT coalesce(sum(count), 0) FROM symbols) AS ticks, (SELECT count(*) FROM symbols) AS symbols,
              (SELECT count(*) FROM sources) AS sources, (SELECT count(*) FROM symbol_sources) AS pairs,
              (SELECT count(*) FROM feed_events) AS events, (SELECT coalesce(max(rowid), 0) FROM feed_events) AS lastEvent`,
    )
    .get() as Record<string, number>;
  return `${r.ticks}:${r.symbols}:${r.sources}:${r.pairs}:${r.events}:${r.lastEvent}`;
}
