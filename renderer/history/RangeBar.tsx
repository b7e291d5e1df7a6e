// The History toolbar's range part: the symbol (a list and a type-to-find search), the selected
// range as 24-hour ISO-like text in the selected zone (never the browser's 12-hour date widget),
// and quick ranges. What is applied lives in the view state, so a reload restores it.
import { useState } from 'react';
import type { SymbolInfo } from '../../shared/catalog.ts';
import { US_PER_HOUR } from '../../shared/time.ts';
import { useApp } from '../app/hooks.ts';
import { formatCount } from '../format/number.ts';
import { formatDateTimeMs, parseDateTimeInput, toDateTimeInput } from '../format/time.ts';
import { SymbolSearch } from '../symbols/SymbolSearch.tsx';
import type { ZoneId } from '../time/zone.ts';
import { TimeText } from '../time/TimeText.tsx';
import { zoneLabel, zoneOf } from '../time/zone.ts';
import { startOfZoneDayUs, utcFromWall, wallClock } from '../time/wallClock.ts';
import type { TimeSpan } from './loadPlan.ts';

/** The zone's calendar day holding the symbol's newest tick. */
export function lastDayOf(info: SymbolInfo, zone: ZoneId): TimeSpan {
  const z = zoneOf(zone);
  const fromUs = startOfZoneDayUs(info.lastUs, z);
  const c = wallClock(fromUs, z);
  const next = utcFromWall(c.y, c.mo, c.d + 1, 0, 0, 0, 0, z);
  return { fromUs, toUs: next !== null && next > fromUs ? next : fromUs + 24 * US_PER_HOUR };
}

/** Everything the symbol has. */
export function allOf(info: SymbolInfo): TimeSpan {
  return { fromUs: info.firstUs, toUs: info.lastUs + 1 };
}

export function RangeBar({
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
  // The inputs follow the applied range (and the zone) until the user edits them.
  if (shownKey !== rangeKey) {
    setShownKey(rangeKey);
    setFrom(toDateTimeInput(range.fromUs, zone));
    setTo(toDateTimeInput(range.toUs, zone));
    setProblem(null);
  }

  const apply = () => {
    const f = parseDateTimeInput(from, zone);
    const t = parseDateTimeInput(to, zone);
    const hint = 'use YYYY-MM-DD HH:MM[:SS[.mmm]], 24-hour';
    if (f === null) return setProblem(`"From" is not a valid date and time: ${from || '(empty)'} (${hint})`);
    if (t === null) return setProblem(`"To" is not a valid date and time: ${to || '(empty)'} (${hint})`);
    if (t <= f) return setProblem('"To" must be after "From".');
    setProblem(null);
    onRange({ fromUs: f, toUs: t });
  };

  const zoneText = zoneLabel(zone);
  const names = symbols.map((s) => s.symbol);
  return (
    <form
      className="toolbar history-range"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <label>
        Symbol
        <select value={info.symbol} onChange={(e) => onSymbol(e.target.value)} data-testid="history-symbol">
          {names.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Find
        <SymbolSearch
          symbols={names}
          value={info.symbol}
          onPick={onSymbol}
          testId="history-symbol-search"
          placeholder="type a symbol…"
          focusShortcut
        />
      </label>
      <TimeText label={`From (${zoneText})`} value={from} onChange={setFrom} testId="history-from" />
      <TimeText label={`To (${zoneText})`} value={to} onChange={setTo} testId="history-to" />
      <button type="submit" data-testid="history-apply">
        Apply
      </button>
      <div className="quick">
        <button
          type="button"
          onClick={() => onRange({ fromUs: info.lastUs - US_PER_HOUR, toUs: info.lastUs + 1 })}
        >
          Last hour
        </button>
        <button type="button" onClick={() => onRange(lastDayOf(info, zone))} data-testid="history-last-day">
          Last day
        </button>
        <button type="button" onClick={() => onRange(allOf(info))} data-testid="history-all">
          All
        </button>
        <button type="button" onClick={onRefresh} title="Reload the symbol list">
          ↻
        </button>
      </div>
      <span className="muted small">
        {formatCount(info.count)} ticks · {formatDateTimeMs(info.firstUs, zone)} →{' '}
        {formatDateTimeMs(info.lastUs, zone)}
        {(info.sources ?? []).length > 0 ? ` · ${(info.sources ?? []).join(', ')}` : ''}
      </span>
      {problem && (
        <span className="form-error" role="alert">
          {problem}
        </span>
      )}
    </form>
  );
}
