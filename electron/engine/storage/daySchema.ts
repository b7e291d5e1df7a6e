// Schema of a day file, versioned with PRAGMA user_version. Physical layout (version 3):
// - one WITHOUT ROWID table `q` for every symbol's ticks, keyed by k = symbol id << 37 | µs
//   since midnight (dayKey.ts), so a symbol's day is one contiguous key range and its inserts
//   append to it. One table per symbol (version 1) cost a page or more per symbol and a prepared
//   statement per symbol and chunk size: with 10,000 symbols a file took 63 bytes a tick instead
//   of 31, and the writer's memory grew by gigabytes;
// - the exchange's update id is part of a tick's identity (version 3): u = seq + 1, 0 for none,
//   the last key column, so two updates with equal prices in the same µs are both kept. A 0
//   costs no payload byte in SQLite's record format (only its one-byte type in the header);
// - r (receive time - exchange time) is NULL when the exchange sent no time (ts is then the
//   receive time);
// - dictionary tables for symbols (with price scale and counters) and sources;
// - bars_1m, one row per symbol and minute, maintained on write so day-long charts read 1,440
//   rows instead of 100K ticks;
// - feed_events, the gap ledger (version 3): what happened to the feeds that day;
// - symbol_sources (version 4): which sources each symbol has that day, maintained on write, so
//   the symbol list names every symbol's sources without reading its ticks;
// - blocks and bars_blocks (version 5): the archive tier, empty until the day is compacted;
// - a `ticks` view that decodes everything to the documented columns for the stock sqlite3 shell.
import type Database from 'better-sqlite3';
import type { FeedEvent, FeedEventKind } from '../../../shared/feeds/feedEvents.ts';
import { sqlKey } from './dayKey.ts';
import { sqlDecode } from './priceCodec.ts';

const META_DDL = 'CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;';
const SYMBOLS_DDL = `CREATE TABLE IF NOT EXISTS symbols (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE,
          scale INTEGER NOT NULL,
          size_scale INTEGER NOT NULL DEFAULT 1,
          count INTEGER NOT NULL DEFAULT 0,
          src_min INTEGER,
          src_max INTEGER,
          first_t INTEGER,
          last_t INTEGER
        );`;
const SOURCES_DDL = 'CREATE TABLE IF NOT EXISTS sources (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);';
const BARS_1M_DDL = `CREATE TABLE IF NOT EXISTS bars_1m (
          sym INTEGER NOT NULL, m INTEGER NOT NULL, n INTEGER NOT NULL,
          t_first INTEGER NOT NULL, t_last INTEGER NOT NULL,
          b_o REAL, b_h REAL, b_l REAL, b_c REAL,
          a_o REAL, a_h REAL, a_l REAL, a_c REAL,
          m_o REAL, m_h REAL, m_l REAL, m_c REAL,
          PRIMARY KEY (sym, m)
        ) WITHOUT ROWID;`;

/** (symbol id, source id) pairs with ticks in the file; source ids as in `sources` (never negative). */
export const SYMBOL_SOURCES_DDL = `CREATE TABLE IF NOT EXISTS symbol_sources (
        sym INTEGER NOT NULL, src INTEGER NOT NULL, PRIMARY KEY (sym, src)
      ) WITHOUT ROWID`;

/**
 * The archive tier (version 5): a compacted day keeps its ticks as compressed column blocks
 * (archive/blockCodec.ts) instead of q rows, and its 1-minute bars as one compressed block per
 * symbol instead of bars_1m rows. The index columns stay plain SQL so the stock sqlite3 shell can
 * list blocks and their time and price ranges. A live file has these tables empty.
 */
export const ARCHIVE_DDL = `CREATE TABLE IF NOT EXISTS blocks (
        id INTEGER PRIMARY KEY,
        sym INTEGER NOT NULL, t_first INTEGER NOT NULL, t_last INTEGER NOT NULL, n INTEGER NOT NULL,
        bid_min REAL, bid_max REAL, ask_min REAL, ask_max REAL,
        format INTEGER NOT NULL, crc INTEGER NOT NULL, data BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS blocks_sym ON blocks (sym, t_first);
      CREATE TABLE IF NOT EXISTS bars_blocks (
        sym INTEGER PRIMARY KEY, n INTEGER NOT NULL, format INTEGER NOT NULL, crc INTEGER NOT NULL,
        data BLOB NOT NULL
      )`;

/**
 * Version 3's tick table. Declared in storage order: a WITHOUT ROWID record holds the key
 * columns first. u = seq + 1, 0 when the feed gave no sequence.
 */
const Q_COLUMNS_V3 = `k INTEGER NOT NULL, src INTEGER NOT NULL, b INTEGER NOT NULL, s INTEGER NOT NULL,
        u INTEGER NOT NULL, r INTEGER, bs INTEGER, asz INTEGER,
        PRIMARY KEY (k, src, b, s, u)`;

/**
 * An archived day file's schema, straight at the current version: the dictionaries, the feed
 * events, the archive tables and an empty q for ticks that arrive later. bars_1m, the feed
 * events' index and the ticks view cost a page or more each in a file of a few hundred KB; a
 * writer that stores a late tick adds them back (ensureLiveTables).
 */
export function createArchiveSchema(db: Database.Database, dayStartUs: number): void {
  // The schema's text is stored in the file: without the indentation it takes a page less.
  const exec = (ddl: string) => db.exec(ddl.replace(/\s+/g, ' '));
  db.transaction(() => {
    exec(META_DDL + SYMBOLS_DDL + SOURCES_DDL + SYMBOL_SOURCES_DDL + ';');
    exec(`CREATE TABLE IF NOT EXISTS q (${Q_COLUMNS_V3}) WITHOUT ROWID`);
    exec(FEED_EVENTS_DDL.slice(0, FEED_EVENTS_DDL.indexOf(';')));
    exec(ARCHIVE_DDL);
    db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(
      'day_start_us',
      String(dayStartUs),
    );
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}

/** The tables and indexes a writer needs that an archived file leaves out. */
export function ensureLiveTables(db: Database.Database): void {
  db.exec(BARS_1M_DDL + FEED_EVENTS_DDL);
}

/**
 * The gap ledger: an ordinary rowid table (a few rows a day), times in absolute µs since the
 * epoch so the stock sqlite3 shell needs no decoding. It lives in the SQLite day file in every
 * backend, also in json mode: the legacy JSON format has no place for it.
 */
export const FEED_EVENTS_DDL = `CREATE TABLE IF NOT EXISTS feed_events (
        ts_us INTEGER NOT NULL, feed TEXT NOT NULL, source TEXT NOT NULL, kind TEXT NOT NULL,
        symbol TEXT, code INTEGER, reason TEXT NOT NULL,
        from_seq INTEGER, to_seq INTEGER, since_us INTEGER
      );
      CREATE INDEX IF NOT EXISTS feed_events_ts ON feed_events (ts_us)`;

/** The feed_events columns in their documented order. */
export const FEED_EVENT_COLUMNS =
  'ts_us, feed, source, kind, symbol, code, reason, from_seq, to_seq, since_us' as const;

/** A raw feed_events row (FEED_EVENT_COLUMNS from column `at` on) as a FeedEvent. */
export function feedEventOfRow(r: unknown[], at = 0): FeedEvent {
  return {
    tsUs: r[at] as number,
    feed: r[at + 1] as string,
    source: r[at + 2] as string,
    kind: r[at + 3] as FeedEventKind,
    symbol: r[at + 4] as string | null,
    code: r[at + 5] as number | null,
    reason: r[at + 6] as string,
    fromSeq: r[at + 7] as number | null,
    toSeq: r[at + 8] as number | null,
    sinceUs: r[at + 9] as number | null,
  };
}

interface Migration {
  /** The version this step produces; steps are applied in order from the file's version. */
  to: number;
  up(db: Database.Database): void;
}

const MIGRATIONS: readonly Migration[] = [
  {
    to: 1,
    up(db) {
      db.exec(META_DDL + SYMBOLS_DDL + SOURCES_DDL + BARS_1M_DDL);
    },
  },
  {
    to: 2,
    up(db) {
      // INTEGER affinity keeps integral values 1-4 bytes on disk; wide rows keep their REAL.
      db.exec(`CREATE TABLE IF NOT EXISTS q (
        k INTEGER NOT NULL, src INTEGER NOT NULL, b INTEGER NOT NULL, s INTEGER NOT NULL,
        r INTEGER, bs INTEGER, asz INTEGER,
        PRIMARY KEY (k, src, b, s)
      ) WITHOUT ROWID`);
      const ids = db.prepare('SELECT id FROM symbols ORDER BY id').pluck().all() as number[];
      dropTicksViews(db);
      for (const id of ids) {
        const table = `q_${id}`;
        const exists = db
          .prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?")
          .pluck()
          .get(table) as number;
        if (!exists) continue;
        db.exec(
          `INSERT OR IGNORE INTO q SELECT ${sqlKey.of(String(id), 't')}, src, b, s, r, bs, asz FROM ${table}`,
        );
        db.exec(`DROP TABLE ${table}`);
      }
    },
  },
  {
    to: 3,
    up(db) {
      // A WITHOUT ROWID table cannot change its key: q is rebuilt with u as the last key column.
      // The view goes first (a rename checks every view that names the table).
      dropTicksViews(db);
      db.exec(`CREATE TABLE q_v3 (${Q_COLUMNS_V3}) WITHOUT ROWID`);
      db.exec('INSERT INTO q_v3 (k, src, b, s, u, r, bs, asz) SELECT k, src, b, s, 0, r, bs, asz FROM q');
      db.exec('DROP TABLE q');
      db.exec('ALTER TABLE q_v3 RENAME TO q');
      db.exec(FEED_EVENTS_DDL);
    },
  },
  {
    to: 4,
    up(db) {
      db.exec(SYMBOL_SOURCES_DDL);
      // A symbol with one stored source value says which from its counters; only the others
      // have their ticks read, once, here.
      const d = sqlDecode;
      db.exec(`INSERT OR IGNORE INTO symbol_sources (sym, src)
        SELECT id, ${d.sourceId('src_min')} FROM symbols WHERE src_min IS NOT NULL AND src_min = src_max`);
      const multi = db
        .prepare('SELECT id FROM symbols WHERE src_min IS NOT NULL AND src_min <> src_max')
        .pluck()
        .all() as number[];
      const add = db.prepare(`INSERT OR IGNORE INTO symbol_sources (sym, src)
        SELECT DISTINCT @sym, ${d.sourceId('src')} FROM q WHERE ${sqlKey.inRange('k', '@sym')}`);
      for (const sym of multi) add.run({ sym });
    },
  },
  {
    to: 5,
    up(db) {
      db.exec(ARCHIVE_DDL);
    },
  },
];

/** The newest schema version: the last step's, checked to count up by one from 1. */
export const SCHEMA_VERSION = (() => {
  MIGRATIONS.forEach((m, i) => {
    if (m.to !== i + 1)
      throw new Error(`daySchema: migration ${i} goes to version ${m.to}, expected ${i + 1}`);
  });
  return MIGRATIONS.length;
})();

/** The first version with the one-table layout; older files keep a table per symbol. */
export const SINGLE_TABLE_VERSION = 2;
/** The first version with the update id (column u) in the key, r NULL allowed, and feed_events. */
export const SEQUENCE_VERSION = 3;
/** The first version with the symbol_sources table. */
export const SYMBOL_SOURCES_VERSION = 4;
/** The first version with the archive tier's blocks and bars_blocks tables. */
export const ARCHIVE_VERSION = 5;
/** Versions whose migration to the next rebuilds q (the old pages are then worth a VACUUM). */
export const REBUILDS_TICKS_FROM: ReadonlySet<number> = new Set([1, 2]);

export class SchemaVersionError extends Error {
  readonly path: string;
  constructor(path: string, found: number) {
    super(
      `${path}: day file schema version ${found} is newer than this Tickscope understands (${SCHEMA_VERSION}); upgrade Tickscope`,
    );
    this.name = 'SchemaVersionError';
    this.path = path;
  }
}

/**
 * The documented columns, decoded with the same rules as the engine's readers (priceCodec.ts):
 * recv_us is always set (the tick's time when the exchange sent none), exchange_us is NULL when
 * the exchange sent no time, seq NULL when the feed gave no update id.
 */
export function ticksViewDdl(dayStartUs: number): string {
  const d = sqlDecode;
  const ts = `${dayStartUs} + ${sqlKey.t('q.k')}`;
  return `CREATE VIEW ticks AS SELECT
      sy.name AS symbol,
      ${ts} AS ts_us,
      ${d.bid('q.src', 'q.b', 'sy.scale')} AS bid,
      ${d.ask('q.src', 'q.b', 'q.s', 'sy.scale')} AS ask,
      so.name AS source,
      ${ts} + coalesce(q.r, 0) AS recv_us,
      CASE WHEN q.r IS NULL THEN NULL ELSE ${ts} END AS exchange_us,
      nullif(q.u, 0) - 1 AS seq,
      ${d.size('q.bs', 'sy.size_scale')} AS bid_size,
      ${d.size('q.asz', 'sy.size_scale')} AS ask_size
    FROM symbols AS sy JOIN q ON ${sqlKey.inRange('q.k', 'sy.id')} JOIN sources AS so ON so.id = ${d.sourceId('q.src')}`;
}

/** Drops the `ticks` view and the part views of early builds (the outer view first: it uses them). */
function dropTicksViews(db: Database.Database): void {
  const views = db
    .prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'view' AND (name = 'ticks' OR name LIKE 'ticks_part_%')",
    )
    .pluck()
    .all() as string[];
  for (const v of views.sort((a, b) => (a === 'ticks' ? -1 : b === 'ticks' ? 1 : 0)))
    db.exec(`DROP VIEW IF EXISTS "${v}"`);
}

/**
 * Brings a day file to SCHEMA_VERSION in one transaction. Returns the version it had (0 for a
 * new file) so the caller can compact a file whose layout was rewritten.
 */
export function migrateDayFile(db: Database.Database, path: string, dayStartUs: number): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) throw new SchemaVersionError(path, version);
  if (version === SCHEMA_VERSION) {
    refreshTicksView(db, dayStartUs);
    return version;
  }
  db.transaction(() => {
    for (const m of MIGRATIONS.slice(version)) m.up(db);
    // The view is the current build's, over the final layout (steps only drop the old ones).
    dropTicksViews(db);
    db.exec(ticksViewDdl(dayStartUs));
    db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(
      'day_start_us',
      String(dayStartUs),
    );
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
  return version;
}

/** A view is only a query: one written by an earlier build of this version is rewritten to today's. */
function refreshTicksView(db: Database.Database, dayStartUs: number): void {
  const ddl = ticksViewDdl(dayStartUs);
  const have = db
    .prepare("SELECT sql FROM sqlite_schema WHERE type = 'view' AND name = 'ticks'")
    .pluck()
    .get();
  if (have === ddl) return;
  db.transaction(() => {
    db.exec('DROP VIEW IF EXISTS ticks');
    db.exec(ddl);
  })();
}

/** Connection settings of the reference design: WAL, NORMAL sync, 64 MB cache, 256 MB mmap. */
export function configureConnection(db: Database.Database, readonly: boolean, busyTimeoutMs: number): void {
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  if (!readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('cache_size = -65536');
  db.pragma('mmap_size = 268435456');
}
