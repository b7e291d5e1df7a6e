// A tick that reaches an archived day (late, or replayed from the journal) is stored in q like
// any other; only q's key would catch one that is already in the day's blocks. This set of the
// blocks' row keys, built per symbol on the first late tick, lets the writer skip those (and
// count them as duplicates) so a replay stores nothing twice.
import type Database from 'better-sqlite3';
import type { RowColumn } from '../archive/blockCodec.ts';
import { blocksOf, decodeBlocks } from '../archive/dayRows.ts';

const KEY_COLUMNS = new Set<RowColumn>(['t', 'src', 'b', 's', 'u']);

export class ArchivedDuplicates {
  private readonly db: Database.Database;
  private readonly keys = new Map<number, Set<string>>();

  constructor(db: Database.Database) {
    this.db = db;
  }

  /** Whether the stored row (t, src, b, s, u) of the symbol is in its blocks. */
  has(symId: number, t: number, src: number, b: number, s: number, u: number): boolean {
    let set = this.keys.get(symId);
    if (!set) {
      set = new Set();
      const rows = decodeBlocks(this.db, blocksOf(this.db, symId), KEY_COLUMNS);
      for (let i = 0; i < rows.n; i++) set.add(key(rows.t[i], rows.src[i], rows.b[i], rows.s[i], rows.u[i]));
      this.keys.set(symId, set);
    }
    return set.size > 0 && set.has(key(t, src, b, s, u));
  }
}

function key(t: number, src: number, b: number, s: number, u: number): string {
  return `${t},${src},${b},${s},${u}`;
}
