// History tab: pick a symbol and a range (in the selected zone); up to four charts side by side
// (the symbol, and other symbols or sources of it over the same range) show candles whose
// timeframe follows the zoom, or raw ticks per source when zoomed in far enough, on calendar time.
// The symbol, range, source filter, compared charts and drawing options live in the view state.
import { useCallback, useRef, useState } from 'react';
import { Empty, ErrorPanel, Loading } from '../app/Panels.tsx';
import { useApp, useRequest } from '../app/hooks.ts';
import { useShortcut } from '../app/keyboard.ts';
import { useViewState } from '../app/viewState.ts';
import type { HistoryChartController } from './historyChart.ts';
import { HistoryChartPanel } from './HistoryChartPanel.tsx';
import type { HistoryOptionValues } from './HistoryOptions.tsx';
import { HistoryOptions } from './HistoryOptions.tsx';
import type { TickOrigin } from './historyLoader.ts';
import { ExportDialog } from '../export/ExportDialog.tsx';
import { JsonOnlyNotice } from './JsonOnlyNotice.tsx';
import type { ChartSpec } from './compareCharts.ts';
import { chartSpecs, formatCompare, MAX_CHARTS, nextCompare } from './compareCharts.ts';
import type { NavAction } from './navigate.ts';
import { lastDayOf, RangeBar } from './RangeBar.tsx';
import './history.css';

export function HistoryView() {
  const { zone } = useApp();
  const symbols = useRequest('symbols.list', {});
  const [savedSymbol, setSymbol] = useViewState('historySymbol');
  const [source, setSource] = useViewState('historySource');
  const [fromUs, setFromUs] = useViewState('historyFromUs');
  const [toUs, setToUs] = useViewState('historyToUs');
  const [compare, setCompare] = useViewState('historyCompare');
  const [priceView, setPriceView] = useViewState('priceView');
  const [candleSide, setCandleSide] = useViewState('candleSide');
  const [compressGaps, setCompressGaps] = useViewState('compressGaps');
  const [showCrossed, setShowCrossed] = useViewState('showCrossed');
  const [showBbo, setShowBbo] = useState(true);
  const [qualityMarks, setQualityMarks] = useState(false);
  const desk = useRequest('desk.status', {});
  const deskAvailable = desk.data?.configured === true;
  const [origin, setOrigin] = useState<TickOrigin>('local');
  // What Export… opens on: the visible view of the chart last used, else the selected range.
  const [exporting, setExporting] = useState<{ fromUs: number; toUs: number } | null>(null);
  const nav = useChartNavigation();

  const list = symbols.data ?? [];
  const info = list.find((s) => s.symbol === savedSymbol) ?? list[0];

  if (symbols.loading && !symbols.data) return <Loading label="Loading symbols…" />;
  if (symbols.error && !symbols.data) return <ErrorPanel error={symbols.error} onRetry={symbols.reload} />;
  if (!info) {
    return (
      <Empty title="No recorded data yet">
        Start a recording (Recording tab) or migrate legacy JSON files; recorded symbols show up here.
        <button type="button" onClick={symbols.reload}>
          Refresh
        </button>
      </Empty>
    );
  }

  const range = fromUs !== null && toUs !== null && toUs > fromUs ? { fromUs, toUs } : lastDayOf(info, zone);
  const names = list.map((s) => s.symbol);
  const specs = chartSpecs({ symbol: info.symbol, source }, compare);
  const options: HistoryOptionValues = {
    priceView,
    candleSide,
    compressGaps,
    showCrossed,
    showBbo,
    qualityMarks,
    origin: deskAvailable ? origin : 'local',
  };
  const setOptions = (patch: Partial<HistoryOptionValues>) => {
    if (patch.priceView !== undefined) setPriceView(patch.priceView);
    if (patch.candleSide !== undefined) setCandleSide(patch.candleSide);
    if (patch.compressGaps !== undefined) setCompressGaps(patch.compressGaps);
    if (patch.showCrossed !== undefined) setShowCrossed(patch.showCrossed);
    if (patch.showBbo !== undefined) setShowBbo(patch.showBbo);
    if (patch.qualityMarks !== undefined) setQualityMarks(patch.qualityMarks);
    if (patch.origin !== undefined) setOrigin(patch.origin);
  };
  const pickSymbol = (symbol: string) => {
    if (symbol === info.symbol) return;
    const next = list.find((s) => s.symbol === symbol);
    setSymbol(symbol);
    // A new symbol opens on its own last day; a source it also has stays chosen.
    setFromUs(null);
    setToUs(null);
    if (source !== null && !(next?.sources ?? []).includes(source)) setSource(null);
  };
  const setCompareAt = (i: number, spec: ChartSpec | null) => {
    const rest = specs.slice(1);
    const out = spec ? rest.map((s, k) => (k === i - 1 ? spec : s)) : rest.filter((_, k) => k !== i - 1);
    setCompare(out.map(formatCompare));
  };

  return (
    <div className={`history-layout charts-${specs.length}`}>
      <RangeBar
        symbols={list}
        info={info}
        range={range}
        onSymbol={pickSymbol}
        onRange={(r) => {
          setFromUs(Math.round(r.fromUs));
          setToUs(Math.round(r.toUs));
        }}
        onRefresh={symbols.reload}
      />
      <HistoryOptions
        values={options}
        onChange={setOptions}
        canCompare={specs.length < MAX_CHARTS}
        deskAvailable={deskAvailable}
        onAddChart={() => setCompare([...compare, nextCompare(specs, info.sources ?? [], names)])}
      />
      <div className="history-export">
        <button
          type="button"
          onClick={() => setExporting(nav.visibleSpan() ?? range)}
          data-testid="history-export"
        >
          Export…
        </button>
      </div>
      {exporting && (
        <ExportDialog
          title="Export the visible view"
          scope={{
            symbols: [...new Set(specs.map((s) => s.symbol))],
            sources: specs.length === 1 && specs[0]!.source ? [specs[0]!.source] : [],
            ...exporting,
          }}
          onClose={() => setExporting(null)}
        />
      )}
      <JsonOnlyNotice fromUs={range.fromUs} toUs={range.toUs} />
      <div className="history-charts" data-charts={specs.length}>
        {specs.map((spec, i) => (
          <HistoryChartPanel
            key={i}
            index={i}
            spec={spec}
            info={list.find((s) => s.symbol === spec.symbol)}
            symbols={names}
            range={range}
            options={options}
            onSource={i === 0 ? setSource : (s) => setCompareAt(i, { symbol: spec.symbol, source: s })}
            onSymbol={i === 0 ? undefined : (sym) => setCompareAt(i, { symbol: sym, source: null })}
            onRemove={i === 0 ? undefined : () => setCompareAt(i, null)}
            register={nav.register}
            onActive={nav.setActive}
            onCrosshairTime={nav.syncCrosshair}
          />
        ))}
      </div>
    </div>
  );
}

/**
 * The charts' controllers for the keyboard (which acts on the chart last hovered or focused) and
 * for the synced crosshair (the instant under the pointer on one chart shows on the others).
 */
function useChartNavigation() {
  const controllers = useRef(new Map<number, HistoryChartController>());
  const active = useRef(0);
  const register = useCallback((index: number, c: HistoryChartController | null) => {
    if (c) controllers.current.set(index, c);
    else controllers.current.delete(index);
  }, []);
  const setActive = useCallback((index: number) => {
    active.current = index;
  }, []);
  const syncCrosshair = useCallback((from: number, us: number | null) => {
    for (const [i, c] of controllers.current) if (i !== from) c.showCrosshairAt(us);
  }, []);
  const run = (action: NavAction) => {
    const c = controllers.current.get(active.current) ?? controllers.current.get(0);
    c?.navigate(action);
  };
  const group = 'History chart';
  useShortcut({ keys: ['+', '='], description: 'Zoom in around the centre', group }, () => run('zoomIn'));
  useShortcut({ keys: ['-'], description: 'Zoom out around the centre', group }, () => run('zoomOut'));
  useShortcut({ keys: ['ArrowLeft'], description: 'Pan left by a tenth of the view', group }, () =>
    run('panLeft'),
  );
  useShortcut({ keys: ['ArrowRight'], description: 'Pan right by a tenth of the view', group }, () =>
    run('panRight'),
  );
  useShortcut({ keys: ['Home'], description: 'Go to the start of the selection', group }, () => run('home'));
  useShortcut({ keys: ['End'], description: 'Go to the end of the selection', group }, () => run('end'));
  const visibleSpan = () =>
    (controllers.current.get(active.current) ?? controllers.current.get(0))?.visibleSpan() ?? null;
  return { register, setActive, syncCrosshair, visibleSpan };
}
