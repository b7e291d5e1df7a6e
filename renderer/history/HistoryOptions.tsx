// How History draws: quotes, mid or spread (in pips); which side candles are built from; gaps at
// their real width or compressed to a break mark; the best bid/offer line; crossed/locked marks;
// the data-quality report's flags. Every option but the BBO line and the quality marks lives in
// the view state (URL and storage): those two are per-session looks.
import type { PriceSide } from '../../shared/bars.ts';
import { PRICE_SIDES } from '../../shared/bars.ts';
import type { PriceView } from './priceView.ts';
import { PRICE_VIEWS } from './priceView.ts';
import { MAX_QUALITY_DAYS } from './qualityMarks.ts';
import type { TickOrigin } from './historyLoader.ts';

export interface HistoryOptionValues {
  priceView: PriceView;
  candleSide: PriceSide;
  compressGaps: boolean;
  showCrossed: boolean;
  showBbo: boolean;
  qualityMarks: boolean;
  /** Where raw ticks come from; offered only when a desk ClickHouse is configured. */
  origin: TickOrigin;
}

const VIEW_TEXT: Record<PriceView, string> = { quotes: 'Bid / ask', mid: 'Mid', spread: 'Spread (pips)' };
const SIDE_TEXT: Record<PriceSide, string> = { bid: 'Bid', ask: 'Ask', mid: 'Mid' };

export function HistoryOptions({
  values,
  onChange,
  canCompare,
  onAddChart,
  deskAvailable,
}: {
  values: HistoryOptionValues;
  onChange: (patch: Partial<HistoryOptionValues>) => void;
  canCompare: boolean;
  onAddChart: () => void;
  deskAvailable: boolean;
}) {
  const check = (
    key: 'compressGaps' | 'showCrossed' | 'showBbo' | 'qualityMarks',
    text: string,
    testId: string,
    title: string,
  ) => (
    <label className="check" title={title}>
      <input
        type="checkbox"
        checked={values[key]}
        onChange={(e) => onChange({ [key]: e.target.checked })}
        data-testid={testId}
      />
      {text}
    </label>
  );
  return (
    <div className="toolbar history-options">
      <label>
        Show
        <select
          value={values.priceView}
          onChange={(e) => onChange({ priceView: e.target.value as PriceView })}
          data-testid="history-view"
        >
          {PRICE_VIEWS.map((v) => (
            <option key={v} value={v}>
              {VIEW_TEXT[v]}
            </option>
          ))}
        </select>
      </label>
      <label title="Which price the candles are built from (the mid view always uses mid)">
        Candles
        <select
          value={values.candleSide}
          disabled={values.priceView === 'mid'}
          onChange={(e) => onChange({ candleSide: e.target.value as PriceSide })}
          data-testid="history-side"
        >
          {PRICE_SIDES.map((s) => (
            <option key={s} value={s}>
              {SIDE_TEXT[s]}
            </option>
          ))}
        </select>
      </label>
      {deskAvailable && (
        <label title="Raw ticks from this store or from the desk's ClickHouse (every workstation's); bars are always this store's">
          Origin
          <select
            value={values.origin}
            onChange={(e) => onChange({ origin: e.target.value as TickOrigin })}
            data-testid="history-origin"
          >
            <option value="local">local</option>
            <option value="desk">desk</option>
          </select>
        </label>
      )}
      {check(
        'compressGaps',
        'Compress gaps',
        'history-compress',
        'Draw gaps (nights, weekends, outages) narrow with a break mark instead of at their real width',
      )}
      {check(
        'showBbo',
        'Best bid/offer',
        'history-bbo',
        'With two or more sources: the best bid and ask across them',
      )}
      {check(
        'showCrossed',
        'Mark crossed/locked',
        'history-crossed',
        'Mark quotes whose bid is at or above the ask',
      )}
      {check(
        'qualityMarks',
        'Quality marks',
        'history-quality',
        `The day's data-quality report over the chart: its gaps, spikes, crossed/locked quotes, arrival-order regressions and duplicates (views of up to ${MAX_QUALITY_DAYS} UTC days)`,
      )}
      <button
        type="button"
        onClick={onAddChart}
        disabled={!canCompare}
        data-testid="history-add-chart"
        title="Compare another symbol, or another source of this one, over the same range (up to four charts)"
      >
        + Chart
      </button>
    </div>
  );
}
