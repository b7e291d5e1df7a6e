// Tick-by-tick bid/ask of one symbol. Ticks are buffered by the coalescer and applied once per
// animation frame with `series.update`; the window of ticks is bounded and trimmed with one
// `setData` every few seconds at most; a frame with many ticks is applied with one `setData`
// (see frameApplyMode). The horizontal axis is a running tick index (see TickWindow).
// Each quote source is its own bid/ask pair (SourceSeries), or only the chosen source is drawn.
import { useEffect, useRef, useState } from 'react';
import type { IChartApi, MouseEventParams, Time } from 'lightweight-charts';
import { createChart } from 'lightweight-charts';
import { ChartAttribution } from '../charts/ChartAttribution.tsx';
import { baseChartOptions } from '../charts/chartTheme.ts';
import { SourceLegend, SourcePicker } from '../charts/SourceControls.tsx';
import type { SourceFilter } from '../charts/sourceFilter.ts';
import type { SourceLegendEntry } from '../charts/sourceSeries.ts';
import { SourceSeries } from '../charts/sourceSeries.ts';
import { errorText, useApp } from '../app/hooks.ts';
import { formatPrice, formatSpread, priceDecimals } from '../format/price.ts';
import type { TimeZoneMode } from '../format/time.ts';
import { formatAxisLabel, formatDateTimeMs } from '../format/time.ts';
import { TickCoalescer } from './tickCoalescer.ts';
import { frameApplyMode, TickWindow } from './tickWindow.ts';

const WINDOW_TICKS = 3000;
const TRIM_INTERVAL_MS = 3000;
const PREFILL_TICKS = 2000;

interface Readout {
  tsUs: number;
  bid: number;
  ask: number;
  source: string;
}

type LoadState = { kind: 'loading' } | { kind: 'ready' } | { kind: 'error'; message: string };

export function LiveChart({
  symbol,
  source,
  onSource,
  knownSources,
  onSourcesSeen,
}: {
  symbol: string;
  /** The tab's source filter: null draws every source as its own series. */
  source: SourceFilter;
  onSource: (source: SourceFilter) => void;
  /** Sources the watchlist has seen for this symbol (offered in the filter before they tick here). */
  knownSources: readonly string[];
  /** Sources seen in this symbol's ticks, whether drawn or filtered out. */
  onSourcesSeen: (symbol: string, sources: string[]) => void;
}) {
  const { api, epoch, zone } = useApp();
  const hostRef = useRef<HTMLDivElement>(null);
  const zoneRef = useRef<TimeZoneMode>(zone);
  const seenRef = useRef(onSourcesSeen);
  const [readout, setReadout] = useState<Readout | null>(null);
  const [load, setLoad] = useState<LoadState>({ kind: 'loading' });
  const [count, setCount] = useState(0);
  const [legend, setLegend] = useState<SourceLegendEntry[]>([]);
  const [seen, setSeen] = useState<readonly string[]>([]);

  useEffect(() => {
    zoneRef.current = zone;
    seenRef.current = onSourcesSeen;
  });

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    setLoad({ kind: 'loading' });
    setReadout(null);
    setLegend([]);
    host.dataset.sources = '';
    const window_ = new TickWindow({ capacity: WINDOW_TICKS, minTrimIntervalMs: TRIM_INTERVAL_MS });
    let chartRef: IChartApi | null = null;
    // Label precision follows the time between labels (about a tenth of the visible span).
    const label = (time: Time): string => {
      const ts = window_.timeAt(time as number);
      if (ts === undefined) return '';
      const range = chartRef?.timeScale().getVisibleLogicalRange();
      const a = range ? window_.timeAtPosition(range.from) : undefined;
      const b = range ? window_.timeAtPosition(range.to) : undefined;
      const spanUs = a !== undefined && b !== undefined && b > a ? b - a : 60_000_000;
      return formatAxisLabel(ts, zoneRef.current, spanUs / 10);
    };
    const chart: IChartApi = createChart(host, {
      ...baseChartOptions(),
      localization: {
        timeFormatter: (time: Time) => {
          const ts = window_.timeAt(time as number);
          return ts === undefined ? '' : formatDateTimeMs(ts, zoneRef.current);
        },
      },
      timeScale: {
        ...baseChartOptions().timeScale,
        minBarSpacing: 0.05,
        // About a thousand ticks across a typical chart width: seconds of a busy symbol.
        barSpacing: 0.8,
        rightOffset: 4,
        tickMarkFormatter: label,
      },
    });
    chartRef = chart;
    const series = new SourceSeries(chart, {
      onLegend: (entries) => {
        // Read by the end-to-end tests: the sources drawn right now.
        host.dataset.sources = entries.map((e) => e.source).join(',');
        setLegend(entries);
      },
    });
    const accepts = (src: string) => source === null || src === source;
    // Every source of this symbol's ticks, drawn or not, so the filter can offer it.
    const seenSources = new Set<string>();
    const see = (src: string) => {
      if (src === '' || seenSources.has(src)) return;
      seenSources.add(src);
      const list = [...seenSources];
      setSeen(list);
      seenRef.current(symbol, list);
    };

    const fitPriceFormat = (price: number) => series.setDecimals(priceDecimals(price));
    let lastPublishMs = -Infinity;
    // The dataset is for tests and is cheap; the React state re-renders, so it is throttled.
    const publish = (force = false) => {
      host.dataset.ticks = String(window_.length);
      host.dataset.lastTsUs = String(window_.lastTsUs ?? '');
      const now = performance.now();
      if (force || now - lastPublishMs >= 250) {
        lastPublishMs = now;
        setCount(window_.length);
      }
    };

    const coalescer = new TickCoalescer({
      symbol,
      schedule: (cb) => requestAnimationFrame(cb),
      onDrain: (batch) => {
        const n = batch.tsUs.length;
        const keep: number[] = [];
        for (let i = 0; i < n; i++) {
          see(batch.source[i]);
          if (accepts(batch.source[i])) keep.push(i);
        }
        const k = keep.length;
        if (k === 0) return;
        fitPriceFormat(batch.ask[keep[k - 1]]);
        const now = performance.now();
        if (frameApplyMode(k) === 'update') {
          for (const i of keep) {
            const time = window_.append(batch.tsUs[i], batch.bid[i], batch.ask[i], batch.source[i]);
            series.update(batch.source[i], time, batch.bid[i], batch.ask[i]);
          }
          if (window_.shouldTrim(now)) series.setData(window_.trimBySource(now));
        } else {
          for (const i of keep) window_.append(batch.tsUs[i], batch.bid[i], batch.ask[i], batch.source[i]);
          series.setData(
            window_.length > WINDOW_TICKS ? window_.trimBySource(now) : window_.pointsBySource(),
          );
        }
        publish();
      },
    });
    // Ticks that arrive while the prefill loads are held and de-duplicated against it.
    coalescer.pause();
    const offTicks = api.on('live.ticks', (p) => coalescer.push(p.batches));
    let disposed = false;

    const onMove = (param: MouseEventParams) => {
      const t = param.time as number | undefined;
      const q = t === undefined ? undefined : window_.quoteAt(t);
      setReadout(q && t !== undefined ? { ...q, source: window_.sourceAt(t) ?? '' } : null);
    };
    chart.subscribeCrosshairMove(onMove);

    api
      .call('live.subscribe', { symbols: [symbol] })
      .then(() => api.call('ticks.recent', { symbol, limit: PREFILL_TICKS }))
      .then(
        (cols) => {
          if (disposed) return;
          let last = -1;
          for (let i = 0; i < cols.tsUs.length; i++) {
            const src = cols.sources[cols.source[i]] ?? '';
            see(src);
            if (!accepts(src)) continue;
            window_.append(cols.tsUs[i], cols.bid[i], cols.ask[i], src);
            last = i;
          }
          if (last >= 0) fitPriceFormat(cols.ask[last]);
          series.setData(window_.pointsBySource());
          chart.timeScale().scrollToRealTime();
          publish(true);
          setLoad({ kind: 'ready' });
          // The newest prefilled tick of any source: later ones are live, whichever source.
          const newest = cols.tsUs.length > 0 ? cols.tsUs[cols.tsUs.length - 1] : -Infinity;
          coalescer.resume(newest);
        },
        (err: unknown) => {
          if (disposed) return;
          setLoad({ kind: 'error', message: errorText(err) });
          coalescer.resume();
        },
      );

    return () => {
      disposed = true;
      offTicks();
      coalescer.close();
      chart.unsubscribeCrosshairMove(onMove);
      chart.remove();
      // Stop the server sending this symbol's every tick; a newer selection resubscribes.
      api.call('live.subscribe', { symbols: [] }).catch(() => {});
    };
  }, [api, symbol, epoch, source]);

  const choices = [...new Set([...knownSources, ...seen])];

  return (
    <div className="chart-panel">
      <div className="chart-head">
        <span className="chart-title">{symbol}</span>
        <SourcePicker value={source} seen={choices} onChange={onSource} testId="live-source" />
        <SourceLegend entries={legend} testId="live-legend" />
        <span className="muted">
          {count.toLocaleString('en-US')} ticks · axis = tick index · {zone.toUpperCase()}
        </span>
        <span className="readout mono" data-testid="live-readout">
          {readout
            ? `${formatDateTimeMs(readout.tsUs, zone)}  ${readout.source ? `${readout.source}  ` : ''}bid ${formatPrice(readout.bid)}  ask ${formatPrice(readout.ask)}  spr ${formatSpread(readout.bid, readout.ask)}`
            : ''}
        </span>
      </div>
      <div className="chart-host" ref={hostRef} data-testid="live-chart" data-symbol={symbol}>
        {load.kind === 'loading' && <div className="chart-overlay">Loading recent ticks…</div>}
        {load.kind === 'error' && (
          <div className="chart-overlay error">Could not load ticks: {load.message}</div>
        )}
        {load.kind === 'ready' && count === 0 && (
          <div className="chart-overlay">
            {source === null
              ? `No ticks for ${symbol} yet — waiting for the feed…`
              : `No ticks for ${symbol} from ${source} yet — waiting, or choose another source…`}
          </div>
        )}
      </div>
      <ChartAttribution />
    </div>
  );
}
