// The readout over a history chart: the instant under the crosshair in the selected zone, the
// quote that stood then (its source, bid, ask, spread in pips, sizes) and, with several sources,
// the best bid/offer and which source held each side; for bars the side's OHLC and tick count.
import { useApp } from '../app/hooks.ts';
import type { Instrument } from '../format/instrument.ts';
import { formatPips, formatPriceFor, pipUnit } from '../format/instrument.ts';
import { formatCount } from '../format/number.ts';
import { formatDateTimeMs, formatDateTimeUs } from '../format/time.ts';
import type { HistoryReadout } from './historyReadout.ts';
import { formatSize } from './sizeText.ts';

export function HistoryReadoutText({
  readout,
  instrument,
  testId,
}: {
  readout: HistoryReadout | null;
  instrument: Instrument;
  testId: string;
}) {
  const { zone } = useApp();
  if (!readout) {
    return (
      <span className="readout muted" data-testid={testId}>
        Hover the chart for time, source, bid, ask, spread
      </span>
    );
  }
  const r = readout;
  const price = (p: number) => formatPriceFor(instrument, p);
  const pips = (bid: number, ask: number) => `${formatPips(instrument, bid, ask)} ${pipUnit(instrument, 2)}`;
  if (r.kind === 'bar') {
    return (
      <span className="readout mono" data-testid={testId} data-kind="bar">
        <span>{formatDateTimeMs(r.tsUs, zone)}</span>
        <span className="muted">{r.side}</span>
        <span>
          O {price(r.open)} H {price(r.high)} L {price(r.low)} C {price(r.close)}
        </span>
        <span data-testid={`${testId}-spread`}>spr {pips(r.bidClose, r.askClose)}</span>
        <span>ticks {formatCount(r.count)}</span>
      </span>
    );
  }
  // Ticks a microsecond apart need the microseconds to tell apart.
  const time = r.tsUs % 1000 === 0 ? formatDateTimeMs(r.tsUs, zone) : formatDateTimeUs(r.tsUs, zone);
  return (
    <span className="readout mono" data-testid={testId} data-kind="tick" data-source={r.source}>
      <span>{time}</span>
      <span className="muted" data-testid={`${testId}-source`}>
        {r.source}
      </span>
      <span className="bid">
        bid {price(r.bid)}
        {r.bidSize !== null ? <span className="muted"> ×{formatSize(r.bidSize)}</span> : null}
      </span>
      <span className="ask">
        ask {price(r.ask)}
        {r.askSize !== null ? <span className="muted"> ×{formatSize(r.askSize)}</span> : null}
      </span>
      <span data-testid={`${testId}-spread`}>spr {pips(r.bid, r.ask)}</span>
      {r.bbo && (
        <span
          className="bbo"
          data-testid={`${testId}-bbo`}
          data-bid-source={r.bbo.bidSource ?? ''}
          data-ask-source={r.bbo.askSource ?? ''}
        >
          BBO {price(r.bbo.bid)} <span className="muted">{r.bbo.bidSource ?? '—'}</span> / {price(r.bbo.ask)}{' '}
          <span className="muted">{r.bbo.askSource ?? '—'}</span> · {pips(r.bbo.bid, r.bbo.ask)}
        </span>
      )}
    </span>
  );
}
