// One row per symbol with the best bid/ask across its sources (and who holds each), spread in
// pips, tick rate, age and sources; expanded, one sub-row per source. Keyboard: ArrowUp/ArrowDown
// move the selection, Enter/Space select, ArrowRight/ArrowLeft expand/collapse.
import { useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useShortcut } from '../app/keyboard.ts';
import type { Instrument } from '../format/instrument.ts';
import { formatPips, formatPriceFor, pipUnit, spreadInPips } from '../format/instrument.ts';
import { formatRate } from '../format/number.ts';
import { formatAge } from '../format/time.ts';
import type { QuoteState, SourceRow, WatchRow } from './watchlistModel.ts';
import { WatchlistModel } from './watchlistModel.ts';
import './watchlist.css';

const STALE_AGE_MS = 5000;
const noop = () => {};

export function Watchlist({
  rows,
  nowMs,
  selected,
  onSelect,
  onPickSource,
  instrument,
}: {
  rows: WatchRow[];
  nowMs: number;
  selected: string | null;
  onSelect: (symbol: string) => void;
  /** A source sub-row was clicked: chart that symbol from that source. */
  onPickSource?: (symbol: string, source: string) => void;
  instrument: (symbol: string) => Instrument;
}) {
  // Listed in the `?` help only (disabled entries never dispatch): the list handles these keys
  // itself while it has focus, so the charts' arrows keep working everywhere else.
  const listOnly = { group: 'Watchlist', enabled: false } as const;
  useShortcut(
    { keys: ['ArrowUp', 'ArrowDown'], description: 'Move the selection (the chart follows)', ...listOnly },
    noop,
  );
  useShortcut({ keys: ['Enter', ' '], description: 'Select the focused symbol', ...listOnly }, noop);
  useShortcut(
    { keys: ['ArrowRight', 'ArrowLeft'], description: 'Show / hide the per-source rows', ...listOnly },
    noop,
  );
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const rowRefs = useRef(new Map<string, HTMLTableRowElement>());
  const setOpen = (symbol: string, open: boolean) =>
    setExpanded((prev) => {
      if (prev.has(symbol) === open) return prev;
      const next = new Set(prev);
      if (open) next.add(symbol);
      else next.delete(symbol);
      return next;
    });

  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    const focused = (e.target as HTMLElement).closest('tr')?.dataset.symbol;
    const current = selected ?? focused ?? null;
    let handled = true;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const at = current === null ? -1 : rows.findIndex((r) => r.symbol === current);
      const step = e.key === 'ArrowDown' ? 1 : -1;
      const nextIndex = at < 0 ? (step > 0 ? 0 : rows.length - 1) : at + step;
      const next = rows[Math.min(rows.length - 1, Math.max(0, nextIndex))];
      if (next) {
        onSelect(next.symbol);
        rowRefs.current.get(next.symbol)?.focus();
      }
    } else if ((e.key === 'Enter' || e.key === ' ') && focused) onSelect(focused);
    else if (e.key === 'ArrowRight' && current) setOpen(current, true);
    else if (e.key === 'ArrowLeft' && current) setOpen(current, false);
    else handled = false;
    if (handled) {
      // The page's chart shortcuts use arrows too; inside the watchlist they belong to it.
      e.preventDefault();
      e.stopPropagation();
    }
  };

  // One tab stop for the whole list (the selected row, else the first): arrows do the rest.
  const tabStop = rows.some((r) => r.symbol === selected) ? selected : (rows[0]?.symbol ?? null);

  return (
    <table className="grid watchlist" data-testid="watchlist">
      <thead>
        <tr>
          <th>Symbol</th>
          <th className="num">Bid</th>
          <th className="num">Ask</th>
          <th className="num" title="Ask minus bid in pips (FX) or points (one unit of the last decimal)">
            Spread
          </th>
          <th className="num">Ticks/s</th>
          <th className="num">Age</th>
          <th>Sources</th>
        </tr>
      </thead>
      <tbody onKeyDown={onKeyDown}>
        {rows.map((r) => {
          const inst = instrument(r.symbol);
          const open = expanded.has(r.symbol);
          const flash = WatchlistModel.flash(r, nowMs);
          const ageMs = nowMs - r.tsUs / 1000;
          const several = r.perSource.length > 1;
          const isSelected = selected === r.symbol;
          const classes = [isSelected ? 'selected' : '', flash ? `flash-${flash}` : '', stateClass(r.state)];
          return [
            <tr
              key={r.symbol}
              ref={(el) => {
                if (el) rowRefs.current.set(r.symbol, el);
                else rowRefs.current.delete(r.symbol);
              }}
              data-testid={`watchlist-row-${r.symbol}`}
              data-symbol={r.symbol}
              data-state={r.state}
              className={classes.filter(Boolean).join(' ')}
              title={stateTitle(r.state, inst, r, several)}
              onClick={() => onSelect(r.symbol)}
              tabIndex={tabStop === r.symbol ? 0 : -1}
              aria-selected={isSelected}
              aria-expanded={open}
            >
              <td className="sym">
                <button
                  type="button"
                  className="expand"
                  tabIndex={-1}
                  aria-label={`${open ? 'Hide' : 'Show'} ${r.symbol} per source`}
                  data-testid={`watchlist-expand-${r.symbol}`}
                  onClick={(e) => {
                    e.stopPropagation();
                    setOpen(r.symbol, !open);
                  }}
                >
                  {open ? '▾' : '▸'}
                </button>
                {r.symbol}
              </td>
              <td className="num mono bid" title={several ? `best bid from ${r.bidSource}` : undefined}>
                {several && <span className="holder">{r.bidSource}</span>}
                <span className="px">{formatPriceFor(inst, r.bid)}</span>
              </td>
              <td className="num mono ask" title={several ? `best ask from ${r.askSource}` : undefined}>
                {several && <span className="holder">{r.askSource}</span>}
                <span className="px">{formatPriceFor(inst, r.ask)}</span>
              </td>
              <SpreadCell inst={inst} bid={r.bid} ask={r.ask} state={r.state} />
              <td className="num mono">{formatRate(r.rate)}</td>
              <td className={`num mono ${ageMs > STALE_AGE_MS ? 'stale' : ''}`}>{formatAge(ageMs)}</td>
              <td
                className="sources mono small"
                title={r.sources.join(', ')}
                data-testid={`watchlist-sources-${r.symbol}`}
                data-sources={r.sources.join(',')}
              >
                <span className="count">{r.sources.length}</span> {r.sources.join(' ')}
              </td>
            </tr>,
            ...(open
              ? r.perSource.map((s) => (
                  <SourceSubRow
                    key={`${r.symbol}\u0000${s.source}`}
                    symbol={r.symbol}
                    s={s}
                    inst={inst}
                    nowMs={nowMs}
                    onClick={() => (onPickSource ? onPickSource(r.symbol, s.source) : onSelect(r.symbol))}
                  />
                ))
              : []),
          ];
        })}
      </tbody>
    </table>
  );
}

function SourceSubRow({
  symbol,
  s,
  inst,
  nowMs,
  onClick,
}: {
  symbol: string;
  s: SourceRow;
  inst: Instrument;
  nowMs: number;
  onClick: () => void;
}) {
  const ageMs = nowMs - s.tsUs / 1000;
  const marks = [s.holdsBid ? 'best bid' : '', s.holdsAsk ? 'best ask' : '', s.stale ? 'silent' : ''];
  return (
    <tr
      className={['source-row', stateClass(s.state), s.stale ? 'silent' : ''].filter(Boolean).join(' ')}
      data-testid={`watchlist-source-${symbol}-${s.source}`}
      data-source={s.source}
      data-state={s.state}
      title={s.state === 'normal' ? `Chart ${symbol} from ${s.source} only` : quoteStateText(s.state)}
      onClick={onClick}
    >
      <td className="src mono small">{s.source}</td>
      <td className={`num mono bid ${s.holdsBid ? 'best' : ''}`}>
        <span className="px">{formatPriceFor(inst, s.bid)}</span>
      </td>
      <td className={`num mono ask ${s.holdsAsk ? 'best' : ''}`}>
        <span className="px">{formatPriceFor(inst, s.ask)}</span>
      </td>
      <SpreadCell inst={inst} bid={s.bid} ask={s.ask} state={s.state} />
      <td className="num mono">{formatRate(s.rate)}</td>
      <td className={`num mono ${ageMs > STALE_AGE_MS ? 'stale' : ''}`}>{formatAge(ageMs)}</td>
      <td className="muted small">{marks.filter(Boolean).join(' · ')}</td>
    </tr>
  );
}

function SpreadCell({
  inst,
  bid,
  ask,
  state,
}: {
  inst: Instrument;
  bid: number;
  ask: number;
  state: QuoteState;
}) {
  const pips = spreadInPips(inst, bid, ask);
  return (
    <td
      className={`num mono spread ${stateClass(state)}`}
      title={`${formatPips(inst, bid, ask)} ${pipUnit(inst, pips)}`}
    >
      {formatPips(inst, bid, ask)}
    </td>
  );
}

const stateClass = (state: QuoteState) => (state === 'normal' ? '' : state);

function quoteStateText(state: QuoteState): string {
  return state === 'crossed' ? 'Crossed: bid above ask' : 'Locked: bid equal to ask';
}

function stateTitle(state: QuoteState, inst: Instrument, r: WatchRow, several: boolean): string | undefined {
  if (state === 'normal') return undefined;
  const across = several ? ' across sources' : '';
  const rel = state === 'crossed' ? '>' : '=';
  return `${quoteStateText(state)}${across}: bid ${formatPriceFor(inst, r.bid)}${several ? ` (${r.bidSource})` : ''} ${rel} ask ${formatPriceFor(inst, r.ask)}${several ? ` (${r.askSource})` : ''}`;
}
