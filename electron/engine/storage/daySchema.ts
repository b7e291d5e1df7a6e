// Schema of a day file, versioned with PRAGMA user_version. Physical layout:
// - one WITHOUT ROWID table per symbol (q_<id>), clustered by time, so a symbol's day is one
//   contiguous range and inserts append (pages stay full: ~26 bytes per tick);
// - dictionary tables for symbols (with price scale and counters) and sources;
// - bars_1m, one row per symbol and minute, maintained on write so day-long charts read 1,440
//   rows instead of 100K ticks;
// - a `ticks` view that decodes everything to the documented columns for the stock sqlite3 shell.
import type Database from 'better-sqlite3';

export const SCHEMA_VERSION = 1;

/** Each step takes the file from version i to i+1. */
const MIGRATIONS: ((db: Database.Database) => void)[] = [
  (db) => {
    db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS symbols (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        scale INTEGER NOT NULL,
        size_scale INTEGER NOT NULL DEFAULT 1,
        count INTEGER NOT NULL DEFAULT 0,
        src_min INTEGER,
        src_max INTEGER,
        first_t INTEGER,
        last_t INTEGER
      );
      CREATE TABLE IF NOT EXISTS sources (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
      CREATE TABLE IF NOT EXISTS bars_1m (
        sym INTEGER NOT NULL, m INTEGER NOT NULL, n INTEGER NOT NULL,
        t_first INTEGER NOT NULL, t_last INTEGER NOT NULL,
        b_o REAL, b_h REAL, b_l REAL, b_c REAL,
        a_o REAL, a_h REAL, a_l REAL, a_c REAL,
        m_o REAL, m_h REAL, m_l REAL, m_c REAL,
        PRIMARY KEY (sym, m)
      ) WITHOUT ROWID;
    `);
  },
];

export class SchemaVersionError extends Error {
  constructor(path: string, found: number) {
    super(
      `${path}: day file schema version ${found} is newer than this Tickscope understands (${SCHEMA_VERSION}); upgrade Tickscope`,
    );
    this.name = 'SchemaVersionError';
  }
}

export function migrateDayFile(db: Database.Database, path: string, dayStartUs: number): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) throw new SchemaVersionError(path, version);
  if (version === SCHEMA_VERSION) return;
  db.transaction(() => {
    for (let v = version; v < SCHEMA_VERSION; v++) MIGRATIONS[v](db);
    db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(
      'day_start_us',
      String(dayStartUs),
    );
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    if (version === 0) rebuildTicksView(db, dayStartUs);
  })();
}

export function symbolTableDdl(id: number): string {
  // INTEGER affinity keeps integral values 1-4 bytes on disk; wide rows keep their REAL.
  return `CREATE TABLE IF NOT EXISTS q_${id} (
    t INTEGER NOT NULL, src INTEGER NOT NULL, b INTEGER NOT NULL, s INTEGER NOT NULL,
    r INTEGER, bs INTEGER, asz INTEGER,
    PRIMARY KEY (t, src, b, s)
  ) WITHOUT ROWID`;
}

function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

// SQLite caps a compound SELECT at 500 terms, so many symbols are split into part views.
const ARMS_PER_VIEW = 400;

/** (Re)creates the `ticks` view over every symbol table of the file. */
export function rebuildTicksView(db: Database.Database, dayStartUs: number): void {
  const syms = db.prepare('SELECT id, name, scale, size_scale FROM symbols ORDER BY id').all() as {
    id: number;
    name: string;
    scale: number;
    size_scale: number;
  }[];
  const parts = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'view' AND name LIKE 'ticks_part_%'")
    .pluck()
    .all() as string[];
  db.exec('DROP VIEW IF EXISTS ticks');
  for (const p of parts) db.exec(`DROP VIEW IF EXISTS "${p}"`);
  const arms = syms.map((s) => {
    const sc = `${s.scale}.0`;
    const zc = `${s.size_scale}.0`;
    return `SELECT ${sqlString(s.name)} AS symbol, ${dayStartUs} + q.t AS ts_us,
      CASE WHEN q.src >= 0 THEN q.b / ${sc} ELSE q.b END AS bid,
      CASE WHEN q.src >= 0 THEN (q.b + q.s) / ${sc} ELSE q.s END AS ask,
      src.name AS source, ${dayStartUs} + q.t + q.r AS recv_us, CASE WHEN q.bs >= 0 THEN q.bs / ${zc} ELSE -q.bs END AS bid_size,
      CASE WHEN q.asz >= 0 THEN q.asz / ${zc} ELSE -q.asz END AS ask_size
      FROM q_${s.id} AS q JOIN sources AS src ON src.id = (CASE WHEN q.src >= 0 THEN q.src ELSE -1 - q.src END)`;
  });
  if (arms.length === 0) {
    db.exec(`CREATE VIEW ticks AS SELECT NULL AS symbol, NULL AS ts_us, NULL AS bid, NULL AS ask, NULL AS source,
      NULL AS recv_us, NULL AS bid_size, NULL AS ask_size WHERE 0`);
    return;
  }
  if (arms.length <= ARMS_PER_VIEW) {
    db.exec(`CREATE VIEW ticks AS ${arms.join('\nUNION ALL\n')}`);
    return;
  }
  const names: string[] = [];
  for (let i = 0; i < arms.length; i += ARMS_PER_VIEW) {
    const name = `ticks_part_${names.length}`;
    db.exec(`CREATE VIEW ${name} AS ${arms.slice(i, i + ARMS_PER_VIEW).join('\nUNION ALL\n')}`);
    names.push(name);
  }
  db.exec(`CREATE VIEW ticks AS ${names.map((n) => `SELECT * FROM ${n}`).join(' UNION ALL ')}`);
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
