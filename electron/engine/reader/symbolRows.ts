// Where one symbol's rows are in a day file and how to address them, by the file's layout.
import type { KeyValue } from '../storage/dayKey.ts';
import { keyBase, keyPlus } from '../storage/dayKey.ts';
import { SEQUENCE_VERSION, SINGLE_TABLE_VERSION } from '../storage/daySchema.ts';

/**
 * In version 2 on a key range of the shared table (k = id << 37 | t), in version 1 its own table
 * keyed by t. `keyAt(t)` is the key bound for time t, and `t` the SQL for the row's time.
 */
export interface SymbolRows {
  table: string;
  key: string;
  /** The key columns in order, for row-value comparisons and ORDER BY. */
  cols: string;
  /** Whether the rows have the update id column u (version 3). */
  withU: boolean;
  /** SQL for the row's time, or for a value from which JS gets it by adding `tOffset`. */
  t: string;
  tOffset: number;
  keyAt(t: number): KeyValue;
}

export function rowsOf(version: number, symId: number): SymbolRows {
  if (version < SINGLE_TABLE_VERSION)
    return {
      table: `q_${symId}`,
      key: 't',
      cols: 't, src, b, s',
      withU: false,
      t: 't',
      tOffset: 0,
      keyAt: (t) => t,
    };
  const base = keyBase(symId);
  const withU = version >= SEQUENCE_VERSION;
  // The key minus its base (a literal: exact for BigInt bases too) is the time, with fewer digits
  // to print and parse than the key itself and cheaper than masking it.
  return {
    table: 'q',
    key: 'k',
    cols: withU ? 'k, src, b, s, u' : 'k, src, b, s',
    withU,
    t: `(k - ${String(base)})`,
    tOffset: 0,
    keyAt: (t) => keyPlus(base, t),
  };
}
