// A replay batch carries tick objects of every replayed symbol; the live chart takes one
// symbol's columns (as `live.ticks` delivers them), so the replay feeds the same path live ticks do.
import type { ReplayTick } from '../../shared/replay.ts';
import type { TickColumns } from '../../shared/tick.ts';

/** The ticks of `symbol` in `ticks`, in their order, as columns with interned sources. */
export function replayColumns(ticks: readonly ReplayTick[], symbol: string): TickColumns {
  const cols: TickColumns = { symbol, tsUs: [], bid: [], ask: [], source: [], sources: [] };
  const ids = new Map<string, number>();
  for (const t of ticks) {
    if (t.symbol !== symbol) continue;
    let id = ids.get(t.source);
    if (id === undefined) {
      id = cols.sources.length;
      ids.set(t.source, id);
      cols.sources.push(t.source);
    }
    cols.tsUs.push(t.tsUs);
    cols.bid.push(t.bid);
    cols.ask.push(t.ask);
    cols.source.push(id);
  }
  return cols;
}
