// Decoded archive blocks kept between a stream's chunks and pages: a paged read of an archived
// day resumes inside the block the previous page ended in, and would otherwise decode it again on
// every page. Least recently used first out, bounded in rows; keyed by the file's path and inode
// (a compaction or salvage puts another file at the path) and the block's id and checksum.
import type { RowColumn, RowColumns } from '../archive/blockCodec.ts';
import type { BlockRef } from '../archive/dayRows.ts';
import { decodeBlocks } from '../archive/dayRows.ts';
import type { OpenDay } from '../reader/openDays.ts';

export type Rows = RowColumns & { n: number };

/** Sixteen full blocks: about 32 MB with every column. */
export const BLOCK_CACHE_ROWS = 16 * 32_768;

const WITH_SIZES = new Set<RowColumn>(['t', 'src', 'b', 's', 'u', 'r', 'bs', 'asz']);
const WITHOUT_SIZES = new Set<RowColumn>(['t', 'src', 'b', 's', 'u', 'r']);

export class BlockCache {
  /** Blocks decoded so far (for tests and profiles: a paged read should decode each block once). */
  decodes = 0;
  private readonly maxRows: number;
  private rows = 0;
  private readonly blocks = new Map<string, Rows>();

  constructor(maxRows = BLOCK_CACHE_ROWS) {
    this.maxRows = maxRows;
  }

  /** The block's rows (with bs and asz only when `sizes`); views valid until evicted and after. */
  get(d: OpenDay, ref: BlockRef, sizes: boolean): Rows {
    const id = `${d.path}\0${d.ino}\0${ref.id}\0${ref.crc}\0`;
    const full = this.take(id + '1');
    if (full) return full;
    if (!sizes) {
      const lean = this.take(id + '0');
      if (lean) return lean;
    }
    const rows = decodeBlocks(d.db, [ref], sizes ? WITH_SIZES : WITHOUT_SIZES);
    this.decodes++;
    this.blocks.set(id + (sizes ? '1' : '0'), rows);
    this.rows += rows.n;
    // The block just decoded stays even when it alone is over the bound: its reader needs it.
    for (const [k, v] of this.blocks) {
      if (this.rows <= this.maxRows || v === rows) break;
      this.blocks.delete(k);
      this.rows -= v.n;
    }
    return rows;
  }

  private take(id: string): Rows | undefined {
    const hit = this.blocks.get(id);
    if (hit) {
      // Re-inserted: the map's order is the use order.
      this.blocks.delete(id);
      this.blocks.set(id, hit);
    }
    return hit;
  }
}
