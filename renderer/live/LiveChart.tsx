// Tick-by-tick bid/ask of one symbol. Ticks are buffered by the coalescer and applied once per
// animation frame with `series.update`; the window of ticks is bounded and trimmed with one
// `setData` every few seconds at most; a frame with many ticks is applied with one `setData`
// (see frameApplyMode). The horizontal axis is a running tick index (see TickWindow).
import { useEffect, useRef, useState } from 'react';
import type { IChartApi, ISeriesApi, MouseEventParams, Time, UTCTimestamp } from 'lightweight-charts';
import { createChart, LineSeries, LineType } from 'lightweight-charts';
import { ChartAttribution } from '../charts/ChartAttribution.tsx';
import { baseChartOptions, COLORS, priceFormatFor } from '../charts/chartTheme.ts';
import { errorText, useApp } from '../app/hooks.ts';
import { formatPrice, formatSpread, priceDecimals } from '../format/price.ts';
import type { TimeZoneMode } from '../format/time.ts';
import { formatAxisLabel, formatDateTimeMs } from '../format/time.ts';
import { TickCoalescer } from './tickCoalescer.ts';
import type { IndexedPoint } from './tickWindow.ts';
import { frameApplyMode, TickWindow } from './tickWindow.ts';

const WINDOW_TICKS = 3000;
const TRIM_INTERVAL_MS = 3000;
const PREFILL_TICKS = 2000;

interface Readout {
  tsUs: number;
  bid: number;
  ask: number;
}

type LoadState = { kind: 'loading' } | { kind: 'ready' } | { kind: 'error'; message: string };

export function LiveChart({ symbol }: { symbol: string }) {
  const { api, epoch, zone } = useApp();
  const hostRef = useRef<HTMLDivElement>(null);
  const zoneRef = useRef<TimeZoneMode>(zone);
  const [readout, setReadout] = useState<Readout | null>(null);
  const [load, setLoad] = useState<LoadState>({ kind: 'loading' });
  const [count, setCount] = useState(0);

  useEffect(() => {
    zoneRef.current = zone;
  }, [zone]);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    setLoad({ kind: 'loading' });
    setReadout(null);
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
    const common = { lineWidth: 1, lineType: LineType.WithSteps, priceLineVisible: false } as const;
    const bid: ISeriesApi<'Line'> = chart.addSeries(LineSeries, {
      ...common,
      color: COLORS.bid,
      title: 'bid',
    });
    const ask: ISeriesApi<'Line'> = chart.addSeries(LineSeries, {
      ...common,
      color: COLORS.ask,
      title: 'ask',
    });

    let lastPublishMs = -Infinity;
    // The dataset is for tests and is cheap; the React state re-renders, so it is throttled.
    const setAll = (pts: { bid: IndexedPoint[]; ask: IndexedPoint[] }) => {
      bid.setData(pts.bid as { time: UTCTimestamp; value: number }[]);
      ask.setData(pts.ask as { time: UTCTimestamp; value: number }[]);
    };
    let decimals = -1;
    const fitPriceFormat = (price: number) => {
      const d = priceDecimals(price);
      if (d === decimals) return;
      decimals = d;
      bid.applyOptions({ priceFormat: priceFormatFor(d) });
      ask.applyOptions({ priceFormat: priceFormatFor(d) });
    };
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
        if (n > 0) fitPriceFormat(batch.ask[n - 1]);
        const now = performance.now();
        if (frameApplyMode(n) === 'update') {
          for (let i = 0; i < n; i++) {
            const time = window_.append(batch.tsUs[i], batch.bid[i], batch.ask[i]) as UTCTimestamp;
            bid.update({ time, value: batch.bid[i] });
            ask.update({ time, value: batch.ask[i] });
          }
          if (window_.shouldTrim(now)) setAll(window_.trim(now));
        } else {
          for (let i = 0; i < n; i++) window_.append(batch.tsUs[i], batch.bid[i], batch.ask[i]);
          setAll(window_.length > WINDOW_TICKS ? window_.trim(now) : window_.points());
        }
        publish();
      },
    });
    // Ticks that arrive while the prefill loads are held and de-duplicated against it.
    coalescer.pause();
    const offTicks = api.on('live.ticks', (p) => coalescer.push(p.batches));
    let disposed = false;

    const onMove = (param: MouseEventParams) => {
      const q = param.time === undefined ? undefined : window_.quoteAt(param.time as number);
      setReadout(q ?? null);
    };
    chart.subscribeCrosshairMove(onMove);

    api
      .call('live.subscribe', { symbols: [symbol] })
      .then(() => api.call('ticks.recent', { symbol, limit: PREFILL_TICKS }))
      .then(
        (cols) => {
          if (disposed) return;
          for (let i = 0; i < cols.tsUs.length; i++) window_.append(cols.tsUs[i], cols.bid[i], cols.ask[i]);
          if (cols.tsUs.length > 0) fitPriceFormat(cols.ask[cols.ask.length - 1]);
          setAll(window_.points());
          chart.timeScale().scrollToRealTime();
          publish(true);
          setLoad({ kind: 'ready' });
          coalescer.resume(window_.lastTsUs ?? -Infinity);
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
  }, [api, symbol, epoch]);

  return (
    <div className="chart-panel">
      <div className="chart-head">
        <span className="chart-title">{symbol}</span>
        <span className="legend bid">bid</span>
        <span className="legend ask">ask</span>
        <span className="muted">
          {count.toLocaleString('en-US')} ticks · axis = tick index · {zone.toUpperCase()}
        </span>
        <span className="readout mono" data-testid="live-readout">
          {readout
            ? `${formatDateTimeMs(readout.tsUs, zone)}  bid ${formatPrice(readout.bid)}  ask ${formatPrice(readout.ask)}  spr ${formatSpread(readout.bid, readout.ask)}`
            : ''}
        </span>
      </div>
      <div className="chart-host" ref={hostRef} data-testid="live-chart" data-symbol={symbol}>
        {load.kind === 'loading' && <div className="chart-overlay">Loading recent ticks…</div>}
        {load.kind === 'error' && (
          <div className="chart-overlay error">Could not load ticks: {load.message}</div>
        )}
        {load.kind === 'ready' && count === 0 && (
          <div className="chart-overlay">No ticks for {symbol} yet — waiting for the feed…</div>
        )}
      </div>
      <ChartAttribution />
    </div>
  );
}
