// The day files: per day its tier, size, ticks, symbols, bytes per tick, compression ratio and
// late ticks, a Compact action for closed days, and the totals.
import { useState } from 'react';
import type { DayInfo } from '../../shared/catalog.ts';
import { ExportDialog } from '../export/ExportDialog.tsx';
import { Empty, ErrorPanel, Loading } from '../app/Panels.tsx';
import type { RequestState } from '../app/hooks.ts';
import { formatBytes, formatCount } from '../format/number.ts';
import {
  archivedShareText,
  canCompactDay,
  compressionRatio,
  dayTotals,
  formatBytesPerTick,
  formatRatio,
} from './storageFigures.ts';

export function DaysTable({
  days,
  todayKey,
  compactBusy,
  onCompact,
}: {
  days: RequestState<DayInfo[]>;
  todayKey: string;
  /** A compaction is starting or running: the row actions wait for it. */
  compactBusy: boolean;
  onCompact: (day: string) => void;
}) {
  const list = days.data ?? [];
  const totals = dayTotals(list);
  return (
    <>
      <div className="panel-head">
        <h2>Day files</h2>
        <span className="muted">
          {list.length} days · {formatBytes(totals.bytes)} · {formatCount(totals.ticks)} ticks
        </span>
        <button type="button" onClick={days.reload} disabled={days.loading} data-testid="days-refresh">
          Refresh
        </button>
      </div>
      {days.error && <ErrorPanel error={days.error} onRetry={days.reload} />}
      {!days.error && days.loading && !days.data && <Loading label="Reading day files…" />}
      {!days.error && days.data && list.length === 0 && <Empty title="No day files yet" />}
      {list.length > 0 && (
        <table className="grid days-table" data-testid="days-table">
          <thead>
            <tr>
              <th>Day (UTC)</th>
              <th>Tier</th>
              <th className="num">Size</th>
              <th className="num">Ticks</th>
              <th className="num">Symbols</th>
              <th className="num">Bytes/tick</th>
              <th className="num">Ratio</th>
              <th className="num">Late ticks</th>
              <th />
              <th>File</th>
            </tr>
          </thead>
          <tbody>
            {[...list]
              .sort((a, b) => b.day.localeCompare(a.day))
              .map((d) => (
                <DayRow
                  key={d.path}
                  day={d}
                  today={d.day === todayKey}
                  compactable={canCompactDay(d, todayKey)}
                  compactBusy={compactBusy}
                  onCompact={onCompact}
                />
              ))}
          </tbody>
          <tfoot>
            <tr className="days-totals" data-testid="days-totals">
              <td>Total</td>
              <td className="muted small" data-testid="days-archived-share">
                {archivedShareText(totals)}
              </td>
              <td className="num mono">{formatBytes(totals.bytes)}</td>
              <td className="num mono">{formatCount(totals.ticks)}</td>
              <td />
              <td className="num mono">{formatBytesPerTick(totals.bytes, totals.ticks)}</td>
              <td colSpan={4} />
            </tr>
          </tfoot>
        </table>
      )}
    </>
  );
}

function DayRow({
  day: d,
  today,
  compactable,
  compactBusy,
  onCompact,
}: {
  day: DayInfo;
  today: boolean;
  compactable: boolean;
  compactBusy: boolean;
  onCompact: (day: string) => void;
}) {
  const [exporting, setExporting] = useState(false);
  // Day files are UTC days, whatever zone the screen shows.
  const dayStartUs = Date.parse(`${d.day}T00:00:00Z`) * 1000;
  return (
    <tr data-testid={`day-row-${d.day}`} data-tier={d.tier}>
      <td className="mono">
        {d.day}
        {today && <span className="muted small"> today</span>}
      </td>
      <td>
        <span className={`tier-badge tier-${d.tier}`} data-testid={`day-tier-${d.day}`}>
          {d.tier}
        </span>
      </td>
      <td className="num mono">{formatBytes(d.bytes)}</td>
      <td className="num mono">{formatCount(d.ticks)}</td>
      <td className="num mono">{d.symbols}</td>
      <td className="num mono">{formatBytesPerTick(d.bytes, d.ticks)}</td>
      <td
        className="num mono"
        data-testid={`day-ratio-${d.day}`}
        title={d.liveBytes === null ? undefined : `${formatBytes(d.liveBytes)} as a live file`}
      >
        {formatRatio(compressionRatio(d))}
      </td>
      <td
        className="num mono"
        title={
          d.lateTicks > 0 ? 'Arrived after compaction; kept as rows until the day is compacted again' : ''
        }
      >
        {d.lateTicks > 0 ? formatCount(d.lateTicks) : ''}
      </td>
      <td>
        {compactable && (
          <button
            type="button"
            className="small"
            disabled={compactBusy}
            onClick={() => onCompact(d.day)}
            data-testid={`day-compact-${d.day}`}
          >
            {d.tier === 'live' ? 'Compact' : 'Compact again'}
          </button>
        )}
        <button
          type="button"
          className="small"
          onClick={() => setExporting(true)}
          data-testid={`day-export-${d.day}`}
        >
          Export
        </button>
        {exporting && (
          <ExportDialog
            title={`Export ${d.day} (UTC)`}
            scope={{ symbols: [], sources: [], fromUs: dayStartUs, toUs: dayStartUs + 86_400_000_000 }}
            onClose={() => setExporting(false)}
          />
        )}
      </td>
      <td className="mono muted small path">{d.path}</td>
    </tr>
  );
}
