// Latest quote per symbol with a short up/down flash, tick rate and last-tick age.
import type { WatchRow } from './watchlistModel.ts';
import { WatchlistModel } from './watchlistModel.ts';
import { formatPrice, formatSpread, priceDecimals } from '../format/price.ts';
import { formatAge } from '../format/time.ts';
import { formatRate } from '../format/number.ts';

export function Watchlist({
  rows,
  nowMs,
  selected,
  onSelect,
}: {
  rows: WatchRow[];
  nowMs: number;
  selected: string | null;
  onSelect: (symbol: string) => void;
}) {
  return (
    <table className="grid watchlist" data-testid="watchlist">
      <thead>
        <tr>
          <th>Symbol</th>
          <th className="num">Bid</th>
          <th className="num">Ask</th>
          <th className="num">Spread</th>
          <th className="num">Ticks/s</th>
          <th className="num">Age</th>
          <th>Sources</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const flash = WatchlistModel.flash(r, nowMs);
          const digits = priceDecimals(Math.max(r.bid, r.ask));
          const ageMs = nowMs - r.tsUs / 1000;
          return (
            <tr
              key={r.symbol}
              data-testid={`watchlist-row-${r.symbol}`}
              className={`${selected === r.symbol ? 'selected' : ''} ${flash ? `flash-${flash}` : ''}`}
              onClick={() => onSelect(r.symbol)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') onSelect(r.symbol);
              }}
              tabIndex={0}
              aria-selected={selected === r.symbol}
            >
              <td className="sym">{r.symbol}</td>
              <td className="num mono bid">{formatPrice(r.bid, digits)}</td>
              <td className="num mono ask">{formatPrice(r.ask, digits)}</td>
              <td className={`num mono ${r.ask < r.bid ? 'crossed' : ''}`}>{formatSpread(r.bid, r.ask)}</td>
              <td className="num mono">{formatRate(r.meter.rate(nowMs))}</td>
              <td className={`num mono ${ageMs > 5000 ? 'stale' : ''}`}>{formatAge(ageMs)}</td>
              <td
                className="sources mono small"
                title={r.sources.join(', ')}
                data-testid={`watchlist-sources-${r.symbol}`}
                data-sources={r.sources.join(',')}
              >
                {r.sources.join(' ')}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
