// Live tab: the watchlist fed by `live.quotes` (one quote per symbol and source), a symbol search
// that filters it, and the tick chart of the selected symbol. The selection is the view state's
// `liveSymbol` (kept across tabs and reloads); with none saved, or the saved one no longer
// quoting, Live opens on the symbol ticking fastest instead of an empty chart. The replay bar
// above the chart plays recorded ticks into it instead, marked as a replay until stopped.
import { useState } from 'react';
import { Empty } from '../app/Panels.tsx';
import { useApp, useEvent, useNow, useRequest } from '../app/hooks.ts';
import { useViewState } from '../app/viewState.ts';
import { useSourceFilter } from '../charts/SourceControls.tsx';
import { instrumentBook, useInstruments } from '../instruments/useInstrument.ts';
import { ReplayBar } from '../replay/ReplayBar.tsx';
import { useReplay } from '../replay/useReplay.ts';
import { SymbolSearch } from '../symbols/SymbolSearch.tsx';
import { matchSymbols } from '../symbols/symbolMatch.ts';
import { LiveChart } from './LiveChart.tsx';
import { Watchlist } from './Watchlist.tsx';
import { WatchlistModel } from './watchlistModel.ts';

/** How long quotes must have flowed without the saved symbol before it counts as gone. */
const SAVED_GRACE_MS = 3000;

export function LiveView({ onGoRecording }: { onGoRecording: () => void }) {
  const { connection } = useApp();
  const [model] = useState(() => new WatchlistModel());
  const [, setRevision] = useState(0);
  const [saved, setSaved] = useViewState('liveSymbol');
  // The most active symbol, chosen once when nothing (usable) was saved; never persisted, so a
  // saved pick that comes back later is still the user's.
  const [auto, setAuto] = useState<string | null>(null);
  const [firstQuoteMs, setFirstQuoteMs] = useState<number | null>(null);
  const [query, setQuery] = useState('');
  const now = useNow(250);
  const recording = useRequest('recording.status', {});
  const [source, setSource] = useSourceFilter('live');
  const instrument = useInstruments();
  const replay = useReplay();
  const stored = useRequest('symbols.list', {});

  const savedGone = (nowMs: number) =>
    saved !== null && !model.get(saved) && firstQuoteMs !== null && nowMs - firstQuoteMs > SAVED_GRACE_MS;

  useEvent('live.quotes', (p) => {
    const nowMs = Date.now();
    model.apply(p.quotes, nowMs);
    for (const q of p.quotes) {
      instrumentBook.observe(q.symbol, q.bid);
      instrumentBook.observe(q.symbol, q.ask);
    }
    if (firstQuoteMs === null && p.quotes.length > 0) setFirstQuoteMs(nowMs);
    if (auto === null && (saved === null || savedGone(nowMs))) setAuto(model.mostActive(nowMs));
    setRevision(model.revision);
  });
  useEvent('recording.status', (s) => recording.set(s));

  const allRows = model.list(now);
  const matched = query
    ? new Set(
        matchSymbols(
          allRows.map((r) => r.symbol),
          query,
        ),
      )
    : null;
  const rows = matched ? allRows.filter((r) => matched.has(r.symbol)) : allRows;
  const active = saved !== null && !savedGone(now) ? saved : auto;
  const waiting = connection.kind === 'connecting' || connection.kind === 'disconnected';
  const pick = (symbol: string) => setSaved(symbol);

  return (
    <div className="live-layout">
      <aside className="panel watch-panel">
        <div className="panel-head">
          <h2>Watchlist</h2>
          <SymbolSearch
            symbols={allRows.map((r) => r.symbol)}
            value={active}
            onPick={pick}
            onQuery={setQuery}
            testId="live-symbol-search"
            placeholder="Search symbols (/)"
            focusShortcut
          />
          <span className="muted" data-testid="watchlist-count">
            {matched ? `${rows.length} of ${allRows.length}` : allRows.length} symbols
          </span>
        </div>
        {allRows.length === 0 ? (
          <Empty title={waiting ? 'Waiting for the engine…' : 'No live quotes'}>
            {recording.data?.recording ? (
              'Recording is on; quotes will appear with the first ticks.'
            ) : (
              <>
                Nothing is being recorded.{' '}
                <button type="button" className="link" onClick={onGoRecording}>
                  Start a recording
                </button>
              </>
            )}
          </Empty>
        ) : rows.length === 0 ? (
          <Empty title={`No symbol matches “${query}”`}>Escape in the search clears it.</Empty>
        ) : (
          <Watchlist
            rows={rows}
            nowMs={now}
            selected={active}
            onSelect={pick}
            onPickSource={(symbol, src) => {
              pick(symbol);
              setSource(src);
            }}
            instrument={instrument}
          />
        )}
      </aside>
      <section className="panel chart-section">
        <ReplayBar
          replay={replay}
          stored={stored.data ?? []}
          liveSymbols={allRows.map((r) => r.symbol)}
          current={active}
        />
        {replay.state && replay.run ? (
          <LiveChart
            key={`replay-${replay.session}`}
            symbol={replay.run.symbol}
            source={source}
            onSource={setSource}
            knownSources={replay.run.source ? [replay.run.source] : []}
            onSourcesSeen={() => {}}
            replay={{ session: replay.session, feed: replay.feed }}
          />
        ) : active ? (
          <LiveChart
            key={active}
            symbol={active}
            source={source}
            onSource={setSource}
            knownSources={model.get(active)?.sources ?? []}
            onSourcesSeen={(sym, list) => {
              if (model.addSources(sym, list)) setRevision(model.revision);
            }}
          />
        ) : (
          <Empty title="Waiting for quotes">
            Live opens on the most active symbol as soon as quotes arrive; pick another in the watchlist or
            with the search (/).
          </Empty>
        )}
      </section>
    </div>
  );
}
