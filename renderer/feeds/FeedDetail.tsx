// The selected feed in depth: malformed messages by reason (the latest sample shown as plain
// text, never as HTML) and every symbol's counts, spacing, staleness, sequence and quote.
import { useState } from 'react';
import type { FeedStatus, MalformedCount, SymbolFeedStatus } from '../../shared/feeds/feedStatus.ts';
import { Empty } from '../app/Panels.tsx';
import { useApp } from '../app/hooks.ts';
import { formatCount, formatMs } from '../format/number.ts';
import { formatPrice } from '../format/price.ts';
import { formatDateTimeMs } from '../format/time.ts';
import { ageOf, sinceOf } from './feedFormat.ts';

export function FeedDetail({
  id,
  status,
  running,
  nowMs,
}: {
  id: string;
  status: FeedStatus | undefined;
  running: boolean;
  nowMs: number;
}) {
  if (!status) {
    return (
      <Empty title={`${id} has not run yet`}>
        Start it to see its symbols, malformed messages and latency.
      </Empty>
    );
  }
  return (
    <div className="feed-detail" data-testid={`feed-detail-${id}`}>
      {!running && <p className="muted small">Stopped: the numbers below are from its last run.</p>}
      <h3>Malformed messages</h3>
      <MalformedList items={status.malformed} nowMs={nowMs} />
      <h3>Symbols</h3>
      <SymbolTable symbols={status.symbols} nowMs={nowMs} />
    </div>
  );
}

function MalformedList({ items, nowMs }: { items: MalformedCount[]; nowMs: number }) {
  const { zone } = useApp();
  if (items.length === 0) return <p className="muted small">None.</p>;
  const sorted = [...items].sort((a, b) => b.count - a.count);
  return (
    <ul className="malformed-list" data-testid="feed-malformed">
      {sorted.map((m) => (
        <li key={m.reason} data-testid="feed-malformed-reason" data-reason={m.reason} data-count={m.count}>
          <details>
            <summary>
              <span className="mono">{m.reason}</span> <b>{formatCount(m.count)}</b>{' '}
              <span className="muted small" title={formatDateTimeMs(m.lastAtUs, zone)}>
                last {ageOf(m.lastAtUs, nowMs)} ago
              </span>
            </summary>
            {/* React renders this as text: a peer's message can never become markup. */}
            <pre className="sample" data-testid="feed-malformed-sample">
              {m.sample}
            </pre>
          </details>
        </li>
      ))}
    </ul>
  );
}

/** Rows drawn at once: a feed may carry thousands of symbols; the filter finds the rest. */
const MAX_SYMBOL_ROWS = 300;

function SymbolTable({ symbols, nowMs }: { symbols: SymbolFeedStatus[]; nowMs: number }) {
  const [filter, setFilter] = useState('');
  if (symbols.length === 0) return <p className="muted small">No symbols yet.</p>;
  const f = filter.trim().toUpperCase();
  const matching = f === '' ? symbols : symbols.filter((s) => s.symbol.toUpperCase().includes(f));
  // Stale symbols and sequence gaps first: they are what someone opens this table for.
  const sorted = [...matching].sort(
    (a, b) =>
      Number(b.stale) - Number(a.stale) ||
      Number(b.sequenceGaps > 0) - Number(a.sequenceGaps > 0) ||
      a.symbol.localeCompare(b.symbol),
  );
  const shown = sorted.slice(0, MAX_SYMBOL_ROWS);
  return (
    <>
      {symbols.length > 10 && (
        <div className="inline-form symbol-filter">
          <input
            value={filter}
            placeholder={`filter ${symbols.length} symbols`}
            onChange={(e) => setFilter(e.target.value)}
            data-testid="feed-symbols-filter"
          />
          {shown.length < matching.length && (
            <span className="muted small">
              showing {shown.length} of {matching.length}
            </span>
          )}
        </div>
      )}
      <div className="table-scroll">
        <table className="grid feed-symbols" data-testid="feed-symbols">
          <thead>
            <tr>
              <th>Symbol</th>
              <th className="num">Ticks</th>
              <th className="num">Last tick</th>
              <th className="num">Normal spacing</th>
              <th>Stale</th>
              <th className="num">Seq gaps</th>
              <th className="num">Last seq</th>
              <th className="num">Bid</th>
              <th className="num">Ask</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((s) => (
              <tr
                key={s.symbol}
                data-testid={`feed-symbol-${s.symbol}`}
                data-ticks={s.ticks}
                className={s.stale ? 'stale' : ''}
              >
                <td className="sym">{s.symbol}</td>
                <td className="num mono">{formatCount(s.ticks)}</td>
                <td className="num mono">{ageOf(s.lastTickUs, nowMs)}</td>
                <td className="num mono">
                  {s.normalSpacingMs === null ? 'learning…' : formatMs(s.normalSpacingMs)}
                </td>
                <td className={s.stale ? 'warn' : 'muted'}>
                  {s.stale
                    ? `stale${s.staleSinceUs !== null ? ` for ${sinceOf(s.staleSinceUs, nowMs)}` : ''}`
                    : 'no'}
                </td>
                <td className={`num mono ${s.sequenceGaps > 0 ? 'warn' : ''}`}>
                  {formatCount(s.sequenceGaps)}
                </td>
                <td className="num mono">{s.lastSeq === null ? '—' : String(s.lastSeq)}</td>
                <td className="num mono bid">{s.bid === null ? '—' : formatPrice(s.bid)}</td>
                <td className="num mono ask">{s.ask === null ? '—' : formatPrice(s.ask)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
