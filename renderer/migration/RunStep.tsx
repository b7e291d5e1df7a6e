// Step 3: the run, as progress events report it. Leaving the page does not stop it.
import type { MigrationProgress } from '../../shared/migration.ts';
import { fmtBytes, fmtCount, fmtDuration } from './wizardFormat.ts';

export function RunStep(props: {
  progress: MigrationProgress | null;
  cancelling: boolean;
  onCancel: () => void;
}) {
  const p = props.progress;
  return (
    <section className="panel" data-testid="migration-run">
      <div className="panel-head">
        <h2>Migrating{p ? ` — ${p.phase}` : '…'}</h2>
        <button
          type="button"
          className="danger"
          disabled={props.cancelling}
          onClick={props.onCancel}
          data-testid="migration-cancel"
        >
          {props.cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
      <progress
        max={1}
        value={p?.fraction ?? 0}
        data-testid="migration-progress"
        data-phase={p?.phase ?? ''}
      />
      {p && (
        <div className="facts">
          <div className="fact">
            <b>{(p.fraction * 100).toFixed(1)}%</b>
            {fmtBytes(p.bytesDone)} of {fmtBytes(p.bytesTotal)}
          </div>
          <div className="fact">
            <b data-testid="run-ticks">{fmtCount(p.ticksRead)}</b>ticks read
          </div>
          <div className="fact">
            <b data-testid="run-rate">{fmtCount(p.ticksPerSec)}/s</b>ticks per second
          </div>
          <div className="fact">
            <b>{fmtDuration(p.etaSec)}</b>remaining
          </div>
          <div className="fact">
            <b>
              {p.filesDone}/{p.filesTotal}
            </b>
            files ({p.filesSkipped} already done, {p.filesBad} bad)
          </div>
          <div className="fact">
            <b>{fmtCount(p.ticksRejected)}</b>ticks rejected
          </div>
        </div>
      )}
      {p?.currentFile && <p className="muted small mono">{p.currentFile}</p>}
      <p className="muted small">
        You can leave this page: the migration continues and this view picks it up again.
      </p>
    </section>
  );
}
