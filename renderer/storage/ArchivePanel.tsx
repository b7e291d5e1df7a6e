// The archive tier: what compaction does, "Compact now", and the progress of the current (or
// last) run with its skipped and failed days.
import type { CompactionProgress, CompactionRequest } from '../../shared/archive.ts';
import { useApp } from '../app/hooks.ts';
import { formatCount } from '../format/number.ts';
import { formatDateTimeMs } from '../format/time.ts';
import { compactionBytesText, compactionDone } from './storageFigures.ts';
import type { CompactionState } from './useCompaction.ts';

export function ArchivePanel({
  compaction,
  compactAfterDays,
}: {
  compaction: CompactionState;
  compactAfterDays: number | null;
}) {
  const { progress, error, busy, start } = compaction;
  // With automatic compaction off there is no setting to go by: "now" then takes every day but today's.
  const request: CompactionRequest = compactAfterDays === null ? { olderThanDays: 1 } : {};
  const olderThan = compactAfterDays ?? 1;
  return (
    <div className="archive-panel">
      <h2>Archive tier</h2>
      <p className="muted small">
        Closed days are compacted into compressed column blocks, about 2 bytes a tick instead of about 35 in a
        live file. Archived days read the same in History.{' '}
        {compactAfterDays === null
          ? 'Automatic compaction is off (Compact after is empty).'
          : `Days older than ${compactAfterDays} days are compacted automatically.`}
      </p>
      <div className="form-actions">
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => void start(request)}
          data-testid="compact-now"
        >
          {progress?.running ? 'Compacting…' : 'Compact now'}
        </button>
        <span className="muted small">
          every live day older than {olderThan} {olderThan === 1 ? 'day' : 'days'}; today is never compacted
        </span>
      </div>
      {error && <p className="form-error">{error}</p>}
      {progress && progress.startedAtUs !== null && <CompactionReport progress={progress} />}
    </div>
  );
}

function CompactionReport({ progress: p }: { progress: CompactionProgress }) {
  const { zone } = useApp();
  const done = compactionDone(p);
  const bytes = compactionBytesText(p);
  return (
    <div
      className="compaction-progress"
      data-testid="compaction-progress"
      data-running={p.running}
      data-days-done={p.daysDone}
      data-days-total={p.daysTotal}
      aria-live="polite"
    >
      <div className="compaction-head">
        {p.running ? (
          <strong>
            Compacting {done.text}
            {p.day && <span className="mono"> · now {p.day}</span>}
          </strong>
        ) : (
          <strong>
            {p.daysTotal === 0 ? 'Nothing to compact' : `Finished ${done.text}`}
            {p.finishedAtUs !== null && (
              <span className="muted small"> at {formatDateTimeMs(p.finishedAtUs, zone)}</span>
            )}
          </strong>
        )}
      </div>
      {p.daysTotal > 0 && <progress max={1} value={done.fraction} aria-label="Days compacted" />}
      <div className="muted small mono">
        {formatCount(p.ticks)} ticks{bytes && ` · ${bytes}`}
      </div>
      {p.skipped.length > 0 && (
        <ul className="compaction-issues" data-testid="compaction-skipped">
          {p.skipped.map((s) => (
            <li key={`s-${s.day}`}>
              <span className="mono">{s.day}</span> skipped: {s.reason}
            </li>
          ))}
        </ul>
      )}
      {p.failed.length > 0 && (
        <ul className="compaction-issues form-error" data-testid="compaction-failed">
          {p.failed.map((f) => (
            <li key={`f-${f.day}`}>
              <span className="mono">{f.day}</span> failed: {f.error} (its live file is untouched)
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
