// History's "Quality marks": the data-quality report's flags (gaps, spikes, crossed and locked
// quotes, arrival-order regressions, duplicates) for the UTC days a view covers. The report is
// computed in main's quality worker (quality.report, one day per call); this module asks for each
// day once per symbol, keeps the answers, and picks the marks of the chart's symbol and source.
// A view covering more than MAX_QUALITY_DAYS days asks nothing: a report reads a whole day of
// ticks, and marks at that zoom would be a smear anyway.
import type { TickscopeApi } from '../../shared/ipc/contract.ts';
import type { QualityMark, QualityReport } from '../../shared/quality.ts';
import { dayIndexToKey, utcDayIndex } from '../../shared/time.ts';
import { formatGapDuration } from '../charts/gaps/gapText.ts';
import type { SourceFilter } from '../charts/sourceFilter.ts';
import type { TimeZoneMode } from '../format/time.ts';
import { formatDateTimeMs } from '../format/time.ts';
import type { TimeSpan } from './loadPlan.ts';

/** The most UTC days one view asks reports for. */
export const MAX_QUALITY_DAYS = 3;
/** Today's report is asked for again after this long: the day is still being recorded. */
export const TODAY_REFRESH_MS = 60_000;

/** A report mark with the row it came from. */
export interface ChartQualityMark extends QualityMark {
  source: string;
}

export type QualityMarksStatus =
  | { state: 'loading'; days: string[] }
  | { state: 'shown'; days: string[]; marks: number; truncated: boolean }
  | { state: 'too-wide'; days: number }
  | { state: 'error'; days: string[]; error: string };

/** The UTC days a span touches, oldest first, or their count when there are more than `max`. */
export function utcDaysCovering(span: TimeSpan, max = MAX_QUALITY_DAYS): string[] | number {
  if (!(span.toUs > span.fromUs)) return [];
  const first = utcDayIndex(span.fromUs);
  // The end is exclusive: a view ending exactly at midnight does not touch the next day.
  const last = utcDayIndex(span.toUs - 1);
  const n = last - first + 1;
  if (n > max) return n;
  return Array.from({ length: n }, (_, i) => dayIndexToKey(first + i));
}

/** The marks of `symbol` (one source, or every source when null), in time order. */
export function marksOf(
  reports: readonly QualityReport[],
  symbol: string,
  source: SourceFilter,
): { marks: ChartQualityMark[]; truncated: boolean } {
  const marks: ChartQualityMark[] = [];
  let truncated = false;
  for (const report of reports) {
    for (const row of report.rows) {
      if (row.symbol !== symbol || (source !== null && row.source !== source)) continue;
      truncated ||= row.marksTruncated;
      for (const m of row.marks) marks.push({ ...m, source: row.source });
    }
  }
  marks.sort((a, b) => a.atUs - b.atUs || a.source.localeCompare(b.source));
  return { marks, truncated };
}

const KIND_TEXT: Record<QualityMark['kind'], string> = {
  gap: 'gap',
  crossed: 'crossed quote (bid above ask)',
  locked: 'locked quote (bid equals ask)',
  spike: 'spike',
  regression: 'arrival-order regression',
  duplicate: 'duplicate tick',
};

/** What the flag is and its figures, as the report words them: "spike: mid moved … (robust z 12.3)". */
export function markText(m: QualityMark): string {
  return m.detail ? `${KIND_TEXT[m.kind]}: ${m.detail}` : KIND_TEXT[m.kind];
}

/** The tooltip as lines: the flag and its figures, when, and from which source. */
export function markTooltipLines(m: ChartQualityMark, zone: TimeZoneMode): string[] {
  const when =
    m.toUs === m.atUs
      ? [`at ${formatDateTimeMs(m.atUs, zone)}`]
      : [
          `from ${formatDateTimeMs(m.atUs, zone)}`,
          `to ${formatDateTimeMs(m.toUs, zone)}`,
          formatGapDuration(m.toUs - m.atUs),
        ];
  return [markText(m), ...when, `source ${m.source || '(none)'} · data-quality report`];
}

/**
 * Each day's report for a symbol, asked for once (concurrent askers share the request); a failed
 * request is forgotten so the next look asks again, and today's is asked again after a while.
 */
export class QualityReportCache {
  private readonly api: TickscopeApi;
  private readonly nowMs: () => number;
  private readonly entries = new Map<string, Entry>();

  constructor(api: TickscopeApi, nowMs: () => number = Date.now) {
    this.api = api;
    this.nowMs = nowMs;
  }

  /** The report if it has arrived (so a redraw needs no round trip), else undefined. */
  settled(day: string, symbol: string): QualityReport | undefined {
    return this.entries.get(`${day}|${symbol}`)?.value;
  }

  report(day: string, symbol: string): Promise<QualityReport> {
    const key = `${day}|${symbol}`;
    const now = this.nowMs();
    const hit = this.entries.get(key);
    const today = dayIndexToKey(utcDayIndex(now * 1000));
    if (hit && !(day === today && now - hit.at > TODAY_REFRESH_MS)) return hit.report;
    const report = this.api.call('quality.report', { day, symbols: [symbol] });
    // A refresh of today keeps showing the previous answer until the new one is in.
    const entry: Entry = { at: now, report, ...(hit?.value ? { value: hit.value } : {}) };
    this.entries.set(key, entry);
    entry.report.then(
      (r) => {
        entry.value = r;
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.report;
  }
}

const shared = new WeakMap<TickscopeApi, QualityReportCache>();

/** One cache per connection, so compare charts and a symbol picked again reuse the answers. */
export function sharedQualityReports(api: TickscopeApi): QualityReportCache {
  let cache = shared.get(api);
  if (!cache) {
    cache = new QualityReportCache(api);
    shared.set(api, cache);
  }
  return cache;
}

interface Entry {
  at: number;
  report: Promise<QualityReport>;
  value?: QualityReport;
}
