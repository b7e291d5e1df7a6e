// History tab: pick a symbol and a UTC (or local) time range; the chart shows candles whose
// timeframe follows the zoom and raw ticks when zoomed in far enough.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { SymbolInfo } from '../../shared/catalog.ts';
import { US_PER_DAY, US_PER_HOUR, utcDayIndex } from '../../shared/time.ts';
import { Empty, ErrorPanel, Loading } from '../app/Panels.tsx';
import { useApp, useRequest } from '../app/hooks.ts';
import { formatCount } from '../format/number.ts';
import { formatPrice, formatSpread } from '../format/price.ts';
import { formatDateTimeMs, parseDateTimeInput, toDateTimeInput } from '../format/time.ts';
import { ChartAttribution } from '../charts/ChartAttribution.tsx';
import { SourceLegend, SourcePicker, useSourceFilter } from '../charts/SourceControls.tsx';
import type { SourceLegendEntry } from '../charts/sourceSeries.ts';
import { describeMode } from './chooseTimeframe.ts';
import type { HistoryReadout, HistoryStatus } from './historyChart.ts';
import { HistoryChartController } from './historyChart.ts';
import type { TimeSpan } from './loadPlan.ts';

/** The most recent UTC day that has data for the symbol. */
function lastDayOf(info: SymbolInfo): TimeSpan {
  const start = utcDayIndex(info.lastUs) * US_PER_DAY;
  return { fromUs: start, toUs: start + US_PER_DAY };
}

export function HistoryView() {
  const symbols = useRequest('symbols.list', {});
  const [symbol, setSymbol] = useState<string | null>(null);
  const [range, setRange] = useState<TimeSpan | null>(null);

  const list = symbols.data ?? [];
  const info = list.find((s) => s.symbol === symbol) ?? list[0];
  const activeSymbol = info?.symbol ?? null;
  const activeRange = range ?? (info ? lastDayOf(info) : null);

  if (symbols.loading && !symbols.data) return <Loading label="Loading symbols…" />;
  if (symbols.error && !symbols.data) return <ErrorPanel error={symbols.error} onRetry={symbols.reload} />;
  if (!info || !activeSymbol || !activeRange) {
    return (
      <Empty title="No recorded data yet">
        Start a recording (Recording tab) or migrate legacy JSON files; recorded symbols show up here.
        <button type="button" onClick={symbols.reload}>
          Refresh
        </button>
      </Empty>
    );
  }

  return (
    <div className="history-layout">
      <RangeBar
        symbols={list}
        info={info}
        range={activeRange}
        onSymbol={(s) => {
          setSymbol(s);
          setRange(null);
        }}
        onRange={setRange}
        onRefresh={symbols.reload}
      />
      <HistoryChartPanel
        symbol={activeSymbol}
        range={activeRange}
        dataSpan={{ fromUs: info.firstUs, toUs: info.lastUs + 1 }}
      />
    </div>
  );
}

function RangeBar({
  symbols,
  info,
  range,
  onSymbol,
  onRange,
  onRefresh,
}: {
  symbols: SymbolInfo[];
  info: SymbolInfo;
  range: TimeSpan;
  onSymbol: (symbol: string) => void;
  onRange: (range: TimeSpan) => void;
  onRefresh: () => void;
}) {
  const { zone } = useApp();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const rangeKey = `${range.fromUs}-${range.toUs}-${zone}`;
  const [shownKey, setShownKey] = useState('');
  // Inputs follow the applied range (and the zone) until the user edits them.
  if (shownKey !== rangeKey) {
    setShownKey(rangeKey);
    setFrom(toDateTimeInput(range.fromUs, zone));
    setTo(toDateTimeInput(range.toUs, zone));
    setProblem(null);
  }

  const apply = () => {
    const f = parseDateTimeInput(from, zone);
    const t = parseDateTimeInput(to, zone);
    if (f === null) return setProblem(`"From" is not a valid date and time: ${from || '(empty)'}`);
    if (t === null) return setProblem(`"To" is not a valid date and time: ${to || '(empty)'}`);
    if (t <= f) return setProblem('"To" must be after "From".');
    setProblem(null);
    onRange({ fromUs: f, toUs: t });
  };

  const lastUs = info.lastUs;
  return (
    <form
      className="toolbar"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <label>
        Symbol
        <select value={info.symbol} onChange={(e) => onSymbol(e.target.value)} data-testid="history-symbol">
          {symbols.map((s) => (
            <option key={s.symbol} value={s.symbol}>
              {s.symbol}
            </option>
          ))}
        </select>
      </label>
      <label>
        From ({zone.toUpperCase()})
        <input
          type="datetime-local"
          step={1}
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          data-testid="history-from"
        />
      </label>
      <label>
        To ({zone.toUpperCase()})
        <input
          type="datetime-local"
          step={1}
          value={to}
          onChange={(e) => setTo(e.target.value)}
          data-testid="history-to"
        />
      </label>
      <button type="submit" data-testid="history-apply">
        Apply
      </button>
      <div className="quick">
        <button type="button" onClick={() => onRange({ fromUs: lastUs - US_PER_HOUR, toUs: lastUs + 1 })}>
          Last hour
        </button>
        <button type="button" onClick={() => onRange(lastDayOf(info))}>
          Last day
        </button>
        <button
          type="button"
          onClick={() => onRange({ fromUs: info.firstUs, toUs: info.lastUs + 1 })}
          data-testid="history-all"
        >
          All
        </button>
        <button type="button" onClick={onRefresh} title="Reload the symbol list">
          ↻
        </button>
      </div>
      <span className="muted small">
        {formatCount(info.count)} ticks · {formatDateTimeMs(info.firstUs, zone)} →{' '}
        {formatDateTimeMs(lastUs, zone)}
      </span>
      {problem && (
        <span className="form-error" role="alert">
          {problem}
        </span>
      )}
    </form>
  );
}

function HistoryChartPanel({
  symbol,
  range,
  dataSpan,
}: {
  symbol: string;
  range: TimeSpan;
  dataSpan: TimeSpan;
}) {
  const { api, zone, epoch } = useApp();
  const hostRef = useRef<HTMLDivElement>(null);
  const [controller, setController] = useState<HistoryChartController | null>(null);
  const [status, setStatus] = useState<HistoryStatus>({
    loading: true,
    mode: null,
    points: 0,
    error: null,
    truncated: false,
  });
  const [readout, setReadout] = useState<HistoryReadout | null>(null);
  const [drawnMs, setDrawnMs] = useState<number | null>(null);
  const [source, setSource] = useSourceFilter('history');
  const [legend, setLegend] = useState<SourceLegendEntry[]>([]);
  // Sources seen in this symbol's loaded ticks; kept across zooms (a narrow view may miss some).
  const [seen, setSeen] = useState<{ symbol: string; sources: string[] }>({ symbol, sources: [] });
  const seenSources = seen.symbol === symbol ? seen.sources : [];
  const symbolRef = useRef(symbol);
  useEffect(() => {
    symbolRef.current = symbol;
  });

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const c = new HistoryChartController(host, api, {
      onStatus: setStatus,
      onReadout: setReadout,
      onDrawn: (ms, mode, points) => {
        // Read by the end-to-end tests: time from asking to the chart holding the data.
        document.body.dataset.historyDrawnMs = ms.toFixed(1);
        host.dataset.mode = describeMode(mode);
        host.dataset.points = String(points);
        setDrawnMs(ms);
      },
      onLegend: setLegend,
      onSources: (sources) => {
        const sym = symbolRef.current;
        setSeen((prev) => {
          const base = prev.symbol === sym ? prev.sources : [];
          const merged = [...new Set([...base, ...sources])].sort((a, b) => a.localeCompare(b));
          return merged.length === base.length ? prev : { symbol: sym, sources: merged };
        });
      },
    });
    setController(c);
    return () => {
      c.destroy();
      setController(null);
    };
  }, [api]);

  useEffect(() => {
    controller?.setZone(zone);
  }, [controller, zone]);

  useEffect(() => {
    controller?.setSource(source);
  }, [controller, source]);

  // Open on the part of the selection that holds data, so a short recording is not a sliver.
  // Dependencies are the numbers, not the objects: parents rebuild those on every render.
  const { fromUs: selFrom, toUs: selTo } = range;
  const fromUs = Math.max(selFrom, dataSpan.fromUs);
  const toUs = Math.min(selTo, dataSpan.toUs);
  useEffect(() => {
    const selection = { fromUs: selFrom, toUs: selTo };
    controller?.show(symbol, selection, toUs > fromUs ? { fromUs, toUs } : selection);
  }, [controller, symbol, selFrom, selTo, fromUs, toUs, epoch]);

  const modeText = useMemo(() => (status.mode ? describeMode(status.mode) : '…'), [status.mode]);

  return (
    <section className="panel chart-section">
      <div className="chart-head">
        <span className="chart-title">{symbol}</span>
        <span className="badge" data-testid="history-mode">
          {modeText}
        </span>
        <SourcePicker value={source} seen={seenSources} onChange={setSource} testId="history-source" />
        {status.mode?.kind === 'ticks' ? (
          <SourceLegend entries={legend} testId="history-legend" />
        ) : (
          status.mode && (
            <span className="muted small" title="bars.get aggregates the ticks of every source">
              candles: all sources{source !== null ? ` (zoom in to ticks to see ${source} alone)` : ''}
            </span>
          )
        )}
        <span className="muted small">
          {formatCount(status.points)} {status.mode?.kind === 'ticks' ? 'ticks' : 'bars'}
          {status.truncated ? ' (first 200,000)' : ''}
          {drawnMs !== null ? ` · drawn in ${Math.round(drawnMs)} ms` : ''}
        </span>
        {status.loading && <span className="spinner small" aria-label="loading" />}
        <ReadoutText readout={readout} />
      </div>
      <div className="chart-host" ref={hostRef} data-testid="history-chart" data-symbol={symbol}>
        {status.error && <div className="chart-overlay error">Could not load: {status.error}</div>}
        {!status.error && !status.loading && status.points === 0 && (
          <div className="chart-overlay">
            {source !== null && status.mode?.kind === 'ticks'
              ? `No ticks for ${symbol} from ${source} in this range. Choose another source or “All”.`
              : `No ticks for ${symbol} in this range. Try “Last day” or “All”.`}
          </div>
        )}
        {status.loading && status.points === 0 && !status.error && (
          <div className="chart-overlay">Loading {symbol}…</div>
        )}
      </div>
      <ChartAttribution />
    </section>
  );
}

function ReadoutText({ readout }: { readout: HistoryReadout | null }) {
  const { zone } = useApp();
  if (!readout) {
    return (
      <span className="readout muted" data-testid="history-readout">
        Hover the chart for time, bid, ask, spread
      </span>
    );
  }
  const r = readout;
  return (
    <span className="readout mono" data-testid="history-readout">
      <span>{formatDateTimeMs(r.tsUs, zone)}</span>
      {r.source && <span className="muted">{r.source}</span>}
      {r.kind === 'bar' && (
        <span className="muted">
          O {formatPrice(r.open)} H {formatPrice(r.high)} L {formatPrice(r.low)}
        </span>
      )}
      <span className="bid">bid {formatPrice(r.bid)}</span>
      <span className="ask">ask {r.ask === null ? '…' : formatPrice(r.ask)}</span>
      <span>spr {r.ask === null ? '…' : formatSpread(r.bid, r.ask)}</span>
      {r.kind === 'bar' && <span>ticks {formatCount(r.count)}</span>}
    </span>
  );
}
