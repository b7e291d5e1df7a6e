// The source filter (All, or one source) and the legend naming each drawn source's colour.
import { useViewState } from '../app/viewState.ts';
import type { SourceFilter, SourceFilterTab } from './sourceFilter.ts';
import { sourceChoices } from './sourceFilter.ts';
import type { SourceLegendEntry } from './sourceLegend.ts';

/** A source is never empty (checkSource), so '' can stand for All. */
const ALL = '';

/** The tab's filter, kept in the view state (URL and storage) so it survives tab switches and reloads. */
export function useSourceFilter(tab: SourceFilterTab): [SourceFilter, (value: SourceFilter) => void] {
  return useViewState(tab === 'live' ? 'liveSource' : 'historySource');
}

export function SourcePicker({
  value,
  seen,
  onChange,
  testId,
  extra = [],
}: {
  value: SourceFilter;
  seen: Iterable<string>;
  onChange: (value: SourceFilter) => void;
  testId: string;
  /** Choices that are not quote sources (the synthetic BBO): offered after them, not counted. */
  extra?: readonly string[];
}) {
  const choices = sourceChoices(seen, value).filter((s) => !extra.includes(s));
  return (
    <label className="source-picker" title="Which quote source to draw">
      <span className="muted small">Source</span>
      <select
        value={value ?? ALL}
        onChange={(e) => onChange(e.target.value === ALL ? null : e.target.value)}
        data-testid={testId}
      >
        <option value={ALL}>All{choices.length > 1 ? ` (${choices.length})` : ''}</option>
        {[...choices, ...extra].map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </label>
  );
}

/** With one source the usual bid/ask legend; with several, one swatch per source. */
export function SourceLegend({ entries, testId }: { entries: SourceLegendEntry[]; testId: string }) {
  const several = entries.length > 1;
  return (
    <span
      className="source-legend"
      data-testid={testId}
      data-sources={entries.map((e) => e.source).join(',')}
    >
      {several ? (
        <>
          {entries.map((e) => (
            <span
              key={e.source}
              className={`legend src src-${e.colour ?? 0}`}
              data-testid={`${testId}-entry`}
              data-source={e.source}
            >
              {e.source}
            </span>
          ))}
          <span className="muted small">solid bid · dashed ask</span>
        </>
      ) : (
        <>
          <span className="legend bid">bid</span>
          <span className="legend ask">ask</span>
          {entries.length === 1 && entries[0].source && (
            <span className="muted small" data-testid={`${testId}-entry`} data-source={entries[0].source}>
              {entries[0].source}
            </span>
          )}
        </>
      )}
    </span>
  );
}
