// The live tick chart of one symbol on calendar time: every source's bid/ask pair and the best
// bid/offer across them, gaps shaded, following the market until the user zooms or pans, then
// "Paused · N new ticks" with a way back (button or End). The chart itself is
// LiveChartController; this component wires the feed (prefill from the engine's ring, live ticks
// coalesced per frame, the gap ledger), the controls, the keyboard and the readout.
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText, useApp } from '../app/hooks.ts';
import { useShortcut } from '../app/keyboard.ts';
import { useViewState } from '../app/viewState.ts';
import { ChartAttribution } from '../charts/ChartAttribution.tsx';
import type { GapHover } from '../charts/gaps/GapTooltip.tsx';
import { GapTooltip } from '../charts/gaps/GapTooltip.tsx';
import { SourceLegend, SourcePicker } from '../charts/SourceControls.tsx';
import type { SourceFilter } from '../charts/sourceFilter.ts';
import { useInstrument } from '../instruments/useInstrument.ts';
import { replayColumns } from '../replay/replayColumns.ts';
import type { ReplayFeed } from '../replay/replayFeed.ts';
import type { FollowSnapshot, NavKey } from './followState.ts';
import type { LiveChartSettings } from './liveChartController.ts';
import { LiveChartController } from './liveChartController.ts';
import type { LiveLinePlan } from './liveLines.ts';
import { BBO_FILTER } from './liveLines.ts';
import type { LiveReadout } from './liveReadout.ts';
import { readoutText } from './liveReadout.ts';
import { TickCoalescer } from './tickCoalescer.ts';
import './liveChart.css';

/**
 * Ticks kept in the live window: what the engine's ring holds for a symbol by default
 * (electron/engine/config.ts ringSize), so the prefill comes from memory, not from disk.
 */
export const DEFAULT_WINDOW_TICKS = 10_000;
/** The gap ledger is read back this far before the oldest tick of the window. */
const EVENTS_MARGIN_US = 60_000_000;

type LoadState = { kind: 'loading' } | { kind: 'ready' } | { kind: 'error'; message: string };

/** A replay session shown instead of live ticks (see renderer/replay/useReplay.ts). */
export interface LiveReplaySource {
  session: number;
  feed: ReplayFeed;
}

const NO_PLAN: LiveLinePlan = { lines: [], sources: [], bbo: false, bboSources: [], legend: [] };

export function LiveChart({
  symbol,
  source,
  onSource,
  knownSources,
  onSourcesSeen,
  windowTicks = DEFAULT_WINDOW_TICKS,
  replay,
}: {
  symbol: string;
  /** The tab's source filter: null draws every source; 'BBO' only the best bid/offer. */
  source: SourceFilter;
  onSource: (source: SourceFilter) => void;
  /** Sources the watchlist has seen for this symbol (offered in the filter before they tick here). */
  knownSources: readonly string[];
  /** Sources seen in this symbol's ticks, whether drawn or filtered out. */
  onSourcesSeen: (symbol: string, sources: string[]) => void;
  /** Ticks kept in the window (the engine's ring size when it is not the default). */
  windowTicks?: number;
  /** Show this replay's ticks, from an empty window, instead of the live feed. */
  replay?: LiveReplaySource;
}) {
  const { api, epoch, zone } = useApp();
  const instrument = useInstrument(symbol);
  const [showCrossed, setShowCrossed] = useViewState('showCrossed');
  const [bboOn, setBboOn] = useState(true);
  const hostRef = useRef<HTMLDivElement>(null);
  const hostWidth = useCallback(() => hostRef.current?.clientWidth ?? 0, []);
  const controllerRef = useRef<LiveChartController | null>(null);
  const [load, setLoad] = useState<LoadState>({ kind: 'loading' });
  const [follow, setFollow] = useState<FollowSnapshot>({ following: true, spanUs: 0, newWhilePaused: 0 });
  const [plan, setPlan] = useState<LiveLinePlan>(NO_PLAN);
  const [seen, setSeen] = useState<readonly string[]>([]);
  const [readout, setReadout] = useState<LiveReadout | null>(null);
  const [count, setCount] = useState(0);
  const [gap, setGap] = useState<GapHover | null>(null);
  // What the controller is created with; later changes go through its setters.
  const latest = useRef<Omit<LiveChartSettings, 'symbol' | 'windowTicks'>>({
    zone,
    filter: source,
    bbo: bboOn,
    showCrossed,
    instrument,
  });
  const seenRef = useRef(onSourcesSeen);
  useEffect(() => {
    latest.current = { zone, filter: source, bbo: bboOn, showCrossed, instrument };
    seenRef.current = onSourcesSeen;
  });

  const replaySession = replay?.session ?? null;
  const replayFeed = replay?.feed ?? null;

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    setLoad({ kind: 'loading' });
    setReadout(null);
    setPlan(NO_PLAN);
    setSeen([]);
    const c = new LiveChartController(
      host,
      { ...latest.current, symbol, windowTicks, replay: replayFeed !== null },
      {
        onFollow: setFollow,
        onPlan: setPlan,
        onSeen: (list) => {
          setSeen(list);
          seenRef.current(symbol, list);
        },
        onReadout: (r) => setReadout(r),
        onCount: setCount,
        onGapHover: (g, x, y) => setGap(g ? { gap: g, x, y } : null),
      },
    );
    controllerRef.current = c;
    const coalescer = new TickCoalescer({
      symbol,
      // Drained at the start of the chart's own frame, so new ticks are drawn in that frame.
      schedule: (cb) => c.beforeFrame(cb),
      onDrain: (batch) => c.pushTicks(batch),
    });
    if (replayFeed !== null && replaySession !== null) {
      const detach = replayFeed.attach(replaySession, (ticks, clockUs) => {
        coalescer.push([replayColumns(ticks, symbol)]);
        c.setReplayClock(clockUs);
      });
      return () => {
        detach();
        coalescer.close();
        c.destroy();
        controllerRef.current = null;
      };
    }
    // Ticks that arrive while the prefill loads are held and de-duplicated against it.
    coalescer.pause();
    const offTicks = api.on('live.ticks', (p) => coalescer.push(p.batches));
    const offEvents = api.on('feeds.event', (p) => c.addFeedEvents(p.events));
    let disposed = false;

    api
      .call('live.subscribe', { symbols: [symbol] })
      .then(() => api.call('ticks.recent', { symbol, limit: windowTicks }))
      .then(
        (cols) => {
          if (disposed) return;
          c.prefill(cols);
          setLoad({ kind: 'ready' });
          // The newest prefilled tick of any source: later ones are live, whichever source.
          const n = cols.tsUs.length;
          coalescer.resume(n > 0 ? cols.tsUs[n - 1] : -Infinity);
          if (n > 0) {
            const nowUs = Date.now() * 1000;
            api
              .call('feeds.events', {
                fromUs: cols.tsUs[0] - EVENTS_MARGIN_US,
                toUs: Math.max(nowUs, cols.tsUs[n - 1]),
              })
              .then(
                (events) => {
                  if (!disposed) c.addFeedEvents(events);
                },
                () => {
                  // Without the ledger the gaps still come from the ticks themselves.
                },
              );
          }
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
      offEvents();
      coalescer.close();
      c.destroy();
      controllerRef.current = null;
      // Stop the server sending this symbol's every tick; a newer selection resubscribes.
      api.call('live.subscribe', { symbols: [] }).catch(() => {});
    };
  }, [api, symbol, epoch, windowTicks, replayFeed, replaySession]);

  useEffect(() => controllerRef.current?.setFilter(source), [source]);
  useEffect(() => controllerRef.current?.setBbo(bboOn), [bboOn]);
  useEffect(() => controllerRef.current?.setShowCrossed(showCrossed), [showCrossed]);
  useEffect(() => controllerRef.current?.setZone(zone), [zone]);
  useEffect(() => controllerRef.current?.setInstrument(instrument), [instrument]);

  const group = 'Live chart';
  const go = (key: NavKey) => controllerRef.current?.navigate(key);
  useShortcut({ keys: ['+', '='], description: 'Zoom in (keeps following at the live edge)', group }, () =>
    go('zoomIn'),
  );
  useShortcut({ keys: ['-'], description: 'Zoom out (keeps following at the live edge)', group }, () =>
    go('zoomOut'),
  );
  useShortcut({ keys: ['ArrowLeft'], description: 'Pan left by a tenth (pauses)', group }, () =>
    go('panLeft'),
  );
  useShortcut({ keys: ['ArrowRight'], description: 'Pan right by a tenth (pauses)', group }, () =>
    go('panRight'),
  );
  useShortcut({ keys: ['Home'], description: 'Oldest tick in the window (pauses)', group }, () => go('home'));
  useShortcut({ keys: ['End'], description: 'Back to live', group }, () => go('end'));

  // A replay has nothing to load first: its ticks come as it plays.
  const shown: LoadState = replay ? { kind: 'ready' } : load;
  const readoutLine = readout ? readoutText(readout, instrument, zone) : '';
  const sources = [...new Set([...knownSources, ...seen])];
  // The synthetic best bid/offer is offered once there is more than one source to rank.
  const extra = sources.length >= 2 || source === BBO_FILTER ? [BBO_FILTER] : [];

  return (
    <div className={replay ? 'chart-panel replay-frame' : 'chart-panel'} data-testid="live-chart-panel">
      <div className="chart-head">
        <span className="chart-title">{symbol}</span>
        <SourcePicker value={source} seen={sources} extra={extra} onChange={onSource} testId="live-source" />
        {source === null && plan.sources.length >= 2 && (
          <label className="live-toggle" title="Best bid (highest) and best ask (lowest) across sources">
            <input
              type="checkbox"
              checked={bboOn}
              onChange={(e) => setBboOn(e.target.checked)}
              data-testid="live-bbo"
            />
            BBO
          </label>
        )}
        <label className="live-toggle" title="Mark crossed (bid above ask) and locked (bid = ask) quotes">
          <input
            type="checkbox"
            checked={showCrossed}
            onChange={(e) => setShowCrossed(e.target.checked)}
            data-testid="live-crossed"
          />
          Crossed
        </label>
        <SourceLegend entries={plan.legend} testId="live-legend" />
        {plan.bbo && (
          <span
            className={`legend live-bbo-legend${source === BBO_FILTER ? ' alone' : ''}`}
            data-testid="live-bbo-legend"
          >
            BBO{plan.bboSources.length > 0 ? ` of ${plan.bboSources.length}` : ''}
          </span>
        )}
        {follow.following ? (
          <span
            className="live-state following"
            data-testid="live-following"
            title={replay ? 'Following the replay clock' : 'Following the market'}
          >
            {replay ? '● Following replay' : '● Live'}
          </span>
        ) : (
          <span className="live-state paused" data-testid="live-paused" role="status">
            Paused · {follow.newWhilePaused.toLocaleString('en-US')} new ticks
            <button
              type="button"
              className="live-back"
              onClick={() => controllerRef.current?.backToLive()}
              data-testid="live-back"
            >
              {replay ? 'Follow replay' : 'Back to live'}
            </button>
          </span>
        )}
        <span className="muted">
          {count.toLocaleString('en-US')} ticks · {zone.toUpperCase()}
        </span>
      </div>
      <div className="live-readout mono" data-testid="live-readout" title={readoutLine}>
        {readoutLine}
      </div>
      <div
        className="chart-host"
        ref={hostRef}
        data-testid="live-chart"
        data-symbol={symbol}
        data-replay={replay ? 'true' : undefined}
        onMouseLeave={() => setGap(null)}
      >
        {shown.kind === 'loading' && <div className="chart-overlay">Loading recent ticks…</div>}
        {shown.kind === 'error' && (
          <div className="chart-overlay error">Could not load ticks: {shown.message}</div>
        )}
        {shown.kind === 'ready' && count === 0 && (
          <div className="chart-overlay">
            {replay
              ? `Replay: no ticks of ${symbol} shown yet…`
              : `No ticks for ${symbol} yet — waiting for the feed…`}
          </div>
        )}
        {shown.kind === 'ready' && count > 0 && plan.lines.length === 0 && source !== null && (
          <div className="chart-overlay">
            No ticks for {symbol} from {source} yet — waiting, or choose another source…
          </div>
        )}
        {gap && <GapTooltip hover={gap} zone={zone} hostWidth={hostWidth} />}
      </div>
      <ChartAttribution />
    </div>
  );
}
