// A checksum of every stored value of a symbol's rows (time, source, prices, update id, latency,
// sizes), so a compacted file is swapped in only when it holds exactly what the live one held.
// CRC-32 over each column's IEEE bytes, chained with the symbol name.
import zlib from 'node:zlib';
import type { RowColumns } from './blockCodec.ts';
import { ROW_COLUMNS } from './blockCodec.ts';

export function rowsChecksum(symbol: string, rows: RowColumns, n: number, seed = 0): number {
  let crc = zlib.crc32(symbol, seed);
  for (const c of ROW_COLUMNS) {
    // NULL is always the one NaN JavaScript makes (JSON null and decoded blocks alike).
    const col = rows[c].subarray(0, n);
    crc = zlib.crc32(new Uint8Array(col.buffer, col.byteOffset, n * 8), crc);
  }
  return crc;
}
