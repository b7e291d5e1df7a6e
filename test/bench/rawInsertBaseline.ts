// The baseline the engine is measured against: a plain better-sqlite3 insert loop, one prepared
// statement run per tick, into the same day-file schema, with values already encoded (so the
// baseline pays nothing for validation, batching, threads or encoding).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { T_SPAN } from '../../electron/engine/storage/dayKey.ts';
import { configureConnection, migrateDayFile } from '../../electron/engine/storage/daySchema.ts';
import { DemoQuoteGenerator } from '../../electron/feeds/demoQuotes.ts';

export interface RawResult {
  ticksPerS: number;
  bytesPerTick: number;
}

/** Pre-encoded columns of `n` demo ticks across `symbols` symbols (1e5 price scale). */
function encodedColumns(n: number, symbols: number, dayStartUs: number) {
  const gen = new DemoQuoteGenerator(symbols, 11);
  const cols = {
    sym: new Uint32Array(n),
    t: new Float64Array(n),
    b: new Float64Array(n),
    s: new Float64Array(n),
    r: new Float64Array(n),
    bs: new Float64Array(n),
    as: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const k = i % symbols;
    const tsUs = dayStartUs + Math.floor((i * 86_400e6) / n);
    const q = gen.quote(k, tsUs);
    cols.sym[i] = k + 1;
    cols.t[i] = tsUs - dayStartUs;
    cols.b[i] = Math.round(q.bid * 1e5);
    cols.s[i] = Math.round(q.ask * 1e5) - cols.b[i];
    cols.r[i] = q.recvUs! - tsUs;
    cols.bs[i] = Math.round(q.bidSize!);
    cols.as[i] = Math.round(q.askSize!);
  }
  return cols;
}

export function rawInsertBaseline(dir: string, n: number, symbols: number, withKey: boolean): RawResult {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, withKey ? 'raw_key.db' : 'raw_nokey.db');
  for (const s of ['', '-wal', '-shm']) fs.rmSync(file + s, { force: true });
  const dayStartUs = Date.UTC(2026, 0, 5) * 1000;
  const cols = encodedColumns(n, symbols, dayStartUs);
  const db = new Database(file);
  configureConnection(db, false, 1000);
  migrateDayFile(db, file, dayStartUs);
  // The day file's own table `q` (keyed by symbol, time, source, bid, ask, update id), or the
  // same columns without a key, to show what the unique key costs. The demo ticks have no update
  // id (u = 0), as ticks of feeds without one.
  if (!withKey) {
    db.exec(`CREATE TABLE q_nokey (k INTEGER NOT NULL, src INTEGER NOT NULL,
      b INTEGER NOT NULL, s INTEGER NOT NULL, u INTEGER NOT NULL, r INTEGER, bs INTEGER, asz INTEGER)`);
  }
  const stmt = db.prepare(
    `INSERT ${withKey ? 'OR IGNORE INTO q' : 'INTO q_nokey'} (k, src, b, s, u, r, bs, asz) VALUES (?,?,?,?,0,?,?,?)`,
  );
  const CHUNK = 50_000;
  const t0 = performance.now();
  for (let c = 0; c < n; c += CHUNK) {
    db.transaction(() => {
      const end = Math.min(n, c + CHUNK);
      for (let i = c; i < end; i++) {
        stmt.run(
          cols.sym[i] * T_SPAN + cols.t[i],
          0,
          cols.b[i],
          cols.s[i],
          cols.r[i],
          cols.bs[i],
          cols.as[i],
        );
      }
    })();
  }
  const ms = performance.now() - t0;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const bytes = fs.statSync(file).size;
  fs.rmSync(file, { force: true });
  return { ticksPerS: Math.round((n / ms) * 1000), bytesPerTick: bytes / n };
}
