// One History chart with its head (symbol, mode, source filter, legend, counts, readout), the gap
// tooltip and the empty/loading/error states. The first chart is the selected symbol; compare
// charts pick their own symbol and source and can be removed.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SymbolInfo } from '../../shared/catalog.ts';
import { useApp } from '../app/hooks.ts';
import { ChartAttribution } from '../charts/ChartAttribution.tsx';
import { GapTooltip } from '../charts/gaps/GapTooltip.tsx';
import { SourceLegend, SourcePicker } from '../charts/SourceControls.tsx';
import type { SourceLegendEntry } from '../charts/sourceLegend.ts';
import { formatCount } from '../format/number.ts';
import { useInstrument } from '../instruments/useInstrument.ts';
import { describeMode } from './chooseTimeframe.ts';
import type { ChartSpec } from './compareCharts.ts';
import type { GapHover } from '../charts/gaps/GapTooltip.tsx';
import type { HistoryStatus, QualityHover } from './historyChart.ts';
import { HistoryChartController, INITIAL_STATUS } from './historyChart.ts';
import type { HistoryOptionValues } from './HistoryOptions.tsx';
import type { HistoryReadout } from './historyReadout.ts';
import { HistoryReadoutText } from './HistoryReadoutText.tsx';
import { MAX_QUALITY_DAYS } from './qualityMarks.ts';
import type { QualityMarksStatus } from './qualityMarks.ts';
import { QualityTooltip } from './QualityTooltip.tsx';
import type { TimeSpan } from './loadPlan.ts';

export interface ChartPanelProps {
  index: number;
  spec: ChartSpec;
  /** The symbol's catalog entry (data span, stored sources); undefined while unknown. */
  info: SymbolInfo | undefined;
  symbols: string[];
  range: TimeSpan;
  options: HistoryOptionValues;
  onSource: (source: string | null) => void;
  /** Compare charts choose their own symbol and can be closed. */
  onSymbol?: (symbol: string) => void;
  onRemove?: () => void;
  register: (index: number, controller: HistoryChartController | null) => void;
  onActive: (index: number) => void;
  onCrosshairTime: (index: number, us: number | null) => void;
}

export function HistoryChartPanel(props: ChartPanelProps) {
  const { index, spec, info, range, options } = props;
  const { symbol, source } = spec;
  const { api, zone, epoch } = useApp();
  const instrument = useInstrument(symbol);
  const hostRef = useRef<HTMLDivElement>(null);
  const hostWidth = useCallback(() => hostRef.current?.clientWidth ?? 0, []);
  const [controller, setController] = useState<HistoryChartController | null>(null);
  const [status, setStatus] = useState<HistoryStatus>(INITIAL_STATUS);
  const [readout, setReadout] = useState<HistoryReadout | null>(null);
  const [drawnMs, setDrawnMs] = useState<number | null>(null);
  const [legend, setLegend] = useState<SourceLegendEntry[]>([]);
  const [gap, setGap] = useState<GapHover | null>(null);
  const [flag, setFlag] = useState<QualityHover | null>(null);
  const [seen, setSeen] = useState<{ symbol: string; sources: string[] }>({ symbol, sources: [] });
  const seenSources = [
    ...new Set([...(info?.sources ?? []), ...(seen.symbol === symbol ? seen.sources : [])]),
  ];
  // The latest props for the controller's callbacks, which are bound once.
  const latest = useRef(props);
  useEffect(() => {
    latest.current = props;
  });

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const c = new HistoryChartController(host, api, index, {
      onStatus: setStatus,
      onReadout: setReadout,
      onDrawn: (ms) => {
        // Read by the end-to-end tests: time from asking to the chart holding the data.
        if (index === 0) document.body.dataset.historyDrawnMs = ms.toFixed(1);
        setDrawnMs(ms);
      },
      onNavigated: (ms) => {
        document.body.dataset.historyZoomMs = ms.toFixed(1);
      },
      onLegend: setLegend,
      onGapHover: setGap,
      onQualityHover: setFlag,
      onSources: (sources) => {
        const sym = latest.current.spec.symbol;
        setSeen((prev) => {
          const base = prev.symbol === sym ? prev.sources : [];
          const merged = [...new Set([...base, ...sources])].sort((a, b) => a.localeCompare(b));
          return merged.length === base.length && prev.symbol === sym
            ? prev
            : { symbol: sym, sources: merged };
        });
      },
      onCrosshairTime: (us) => latest.current.onCrosshairTime(index, us),
    });
    setController(c);
    latest.current.register(index, c);
    return () => {
      latest.current.register(index, null);
      c.destroy();
      setController(null);
    };
  }, [api, index]);

  useEffect(() => controller?.setZone(zone), [controller, zone]);
  useEffect(() => controller?.setInstrument(instrument), [controller, instrument]);
  useEffect(() => controller?.setSource(source), [controller, source]);
  useEffect(() => controller?.setOrigin(options.origin), [controller, options.origin]);
  const { priceView, candleSide, compressGaps, showCrossed, showBbo, qualityMarks } = options;
  useEffect(
    () =>
      controller?.setSettings({ priceView, candleSide, compressGaps, showCrossed, showBbo, qualityMarks }),
    [controller, priceView, candleSide, compressGaps, showCrossed, showBbo, qualityMarks],
  );

  // Open on the part of the selection that holds data, so a short recording is not a sliver.
  // Dependencies are the numbers, not the objects: parents rebuild those on every render.
  const { fromUs: selFrom, toUs: selTo } = range;
  const dataFrom = info?.firstUs ?? selFrom;
  const dataTo = info ? info.lastUs + 1 : selTo;
  const fromUs = Math.max(selFrom, dataFrom);
  const toUs = Math.min(selTo, dataTo);
  useEffect(() => {
    const selection = { fromUs: selFrom, toUs: selTo };
    controller?.show(symbol, selection, toUs > fromUs ? { fromUs, toUs } : selection);
  }, [controller, symbol, selFrom, selTo, fromUs, toUs, epoch]);

  const ticks = status.mode?.kind === 'ticks';
  const sourceTestId = index === 0 ? 'history-source' : `history-source-${index}`;
  return (
    <section
      className="panel chart-section history-chart-panel"
      onMouseEnter={() => props.onActive(index)}
      onFocus={() => props.onActive(index)}
      onMouseLeave={() => {
        setGap(null);
        setFlag(null);
      }}
    >
      <div className="chart-head">
        {props.onSymbol ? (
          <select
            className="chart-title"
            value={symbol}
            onChange={(e) => props.onSymbol?.(e.target.value)}
            data-testid={`history-symbol-${index}`}
          >
            {(props.symbols.includes(symbol) ? props.symbols : [symbol, ...props.symbols]).map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        ) : (
          <span className="chart-title">{symbol}</span>
        )}
        <span className="badge" data-testid={index === 0 ? 'history-mode' : `history-mode-${index}`}>
          {status.mode ? describeMode(status.mode) : '…'}
        </span>
        <SourcePicker value={source} seen={seenSources} onChange={props.onSource} testId={sourceTestId} />
        {ticks ? (
          <SourceLegend
            entries={legend}
            testId={index === 0 ? 'history-legend' : `history-legend-${index}`}
          />
        ) : (
          status.mode && (
            <span className="muted small">
              {source === null ? 'candles: all sources' : `candles: ${source}`}
              {status.zoneAligned ? '' : ' · UTC days (span too wide to follow the zone)'}
            </span>
          )
        )}
        {status.bbo && <span className="legend bbo">BBO</span>}
        <span className="muted small">
          {formatCount(status.points)} {ticks ? 'ticks' : 'bars'}
          {status.truncated ? ' (first 200,000)' : ''}
          {status.marks && status.marks.total > 0
            ? ` · ${formatCount(status.marks.crossed)} crossed, ${formatCount(status.marks.locked)} locked`
            : ''}
          {drawnMs !== null ? ` · drawn in ${Math.round(drawnMs)} ms` : ''}
        </span>
        {status.quality && (
          <span
            className="muted small"
            data-testid={index === 0 ? 'history-quality-status' : `history-quality-status-${index}`}
          >
            {qualityStatusText(status.quality)}
          </span>
        )}
        {status.loading && <span className="spinner small" aria-label="loading" />}
        <HistoryReadoutText
          readout={readout}
          instrument={instrument}
          testId={index === 0 ? 'history-readout' : `history-readout-${index}`}
        />
        {props.onRemove && (
          <button
            type="button"
            className="chart-close"
            onClick={props.onRemove}
            title="Close this chart"
            data-testid={`history-remove-chart-${index}`}
          >
            ×
          </button>
        )}
      </div>
      <div
        className="chart-host"
        ref={hostRef}
        tabIndex={0}
        data-testid="history-chart"
        data-index={index}
        data-symbol={symbol}
      >
        {status.error && <div className="chart-overlay error">Could not load: {status.error}</div>}
        {!status.error && !status.loading && status.points === 0 && (
          <div className="chart-overlay">
            {source !== null
              ? `No ticks for ${symbol} from ${source} in this range. Choose another source or “All”.`
              : `No ticks for ${symbol} in this range. Try “Last day” or “All”.`}
          </div>
        )}
        {status.loading && status.points === 0 && !status.error && (
          <div className="chart-overlay">Loading {symbol}…</div>
        )}
        {gap && <GapTooltip hover={gap} zone={zone} hostWidth={hostWidth} />}
        {flag && <QualityTooltip hover={flag} zone={zone} hostWidth={hostWidth} />}
      </div>
      <ChartAttribution />
    </section>
  );
}

function qualityStatusText(q: QualityMarksStatus): string {
  switch (q.state) {
    case 'loading':
      return `quality: checking ${q.days.join(', ')}…`;
    case 'shown':
      return `quality: ${formatCount(q.marks)} flags${q.truncated ? ' (capped per source)' : ''}`;
    case 'too-wide':
      return `quality: ${q.days} days in view, zoom to ${MAX_QUALITY_DAYS} or fewer for marks`;
    case 'error':
      return `quality: could not check (${q.error})`;
  }
}
