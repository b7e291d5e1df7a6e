// One day's compaction spread over the archive workers: one reads the day's head, each codes a
// share of the symbols (shares balanced by tick count), one writes and verifies the file. The
// shares read in transactions of their own: if the day changes meanwhile, its fingerprint (read
// with the head, compared again at the swap) says so and the swap is refused.
import type { RpcClient } from '../rpc/rpcClient.ts';
import type { ArchiveApi, ArchiveEvents } from '../workers/archiveApi.ts';
import type { EncodedSymbol, PreparedArchive, SymbolRow } from './compactDay.ts';

export type ArchiveClient = RpcClient<ArchiveApi, ArchiveEvents>;

export async function prepareInWorkers(
  workers: readonly ArchiveClient[],
  sourcePath: string,
  day: number,
): Promise<PreparedArchive> {
  const head = await workers[0].call('head', sourcePath);
  const shares = shareByTicks(head.symbols, workers.length);
  const parts = await Promise.all(
    shares.map((symbols, part) =>
      symbols.length === 0
        ? Promise.resolve([] as EncodedSymbol[])
        : workers[part].call('encode', sourcePath, day, part, symbols, head.archived),
    ),
  );
  const encoded = parts.flat().sort((a, b) => a.symId - b.symId);
  // The coded day passes through this (main) thread by transfer, never by copy: a busy day's
  // blocks are hundreds of MB.
  return workers[0].callTransfer('write', ownBuffers(encoded), sourcePath, day, head, encoded);
}

/**
 * Gives every block and bars blob of `encoded` an ArrayBuffer of its own (Node pools small
 * Buffers in shared slabs, which cannot be transferred) and lists them for a transfer.
 */
export function ownBuffers(encoded: EncodedSymbol[]): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  const own = (u: Uint8Array): Uint8Array => {
    if (
      u.byteOffset === 0 &&
      u.byteLength === u.buffer.byteLength &&
      !out.includes(u.buffer as ArrayBuffer)
    ) {
      out.push(u.buffer as ArrayBuffer);
      return u;
    }
    const copy = new Uint8Array(u.byteLength);
    copy.set(u);
    out.push(copy.buffer);
    return copy;
  };
  for (const e of encoded) {
    for (const b of e.blocks) b.data = own(b.data);
    if (e.bars) e.bars.data = own(e.bars.data);
  }
  return out;
}

/** Symbols in `count` shares of about equal ticks (largest first onto the lightest share). */
export function shareByTicks(symbols: readonly SymbolRow[], count: number): SymbolRow[][] {
  const shares = Array.from({ length: count }, () => ({ ticks: 0, symbols: [] as SymbolRow[] }));
  for (const s of [...symbols].sort((a, b) => b.count - a.count)) {
    const lightest = shares.reduce((a, b) => (b.ticks < a.ticks ? b : a));
    lightest.symbols.push(s);
    lightest.ticks += s.count;
  }
  return shares.map((x) => x.symbols.sort((a, b) => a.id - b.id));
}
