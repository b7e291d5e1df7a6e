// Step 2: what the scan found, a preview of the rows as they will be stored, and the options.
import { useState } from 'react';
import type { PreviewResult, ScanSummary } from '../../shared/migration.ts';
import { DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE } from '../../shared/migration.ts';
import { fmtBytes, fmtCount } from './wizardFormat.ts';
import { ProblemList } from './ProblemList.tsx';

export interface RunChoice {
  batchSize: number;
  validate: boolean;
  archiveDir: string | null;
  deleteAfterArchive: boolean;
}

export function ScanStep(props: {
  scan: ScanSummary;
  previews: PreviewResult[] | null;
  busy: boolean;
  error: string | null;
  onBack: () => void;
  onStart: (choice: RunChoice) => void;
}) {
  const s = props.scan;
  const [batch, setBatch] = useState(String(DEFAULT_BATCH_SIZE));
  const [validate, setValidate] = useState(true);
  const [archiveDir, setArchiveDir] = useState('');
  const [del, setDel] = useState(false);
  const batchValue = Number(batch);
  const batchOk = Number.isInteger(batchValue) && batchValue >= 1 && batchValue <= MAX_BATCH_SIZE;
  const migratable = s.files - s.problems.length;
  return (
    <>
      <section className="panel" data-testid="migration-scan-summary">
        <div className="panel-head">
          <h2>Scan of {s.inputDir}</h2>
          <button type="button" onClick={props.onBack}>
            Back
          </button>
        </div>
        <div className="facts">
          <div className="fact">
            <b data-testid="scan-files">{s.files}</b>tick files ({s.ignored} other files ignored)
          </div>
          <div className="fact">
            <b>{fmtBytes(s.bytes)}</b>on disk
          </div>
          <div className="fact">
            <b data-testid="scan-symbols">{s.symbols.length}</b>
            {s.symbols.slice(0, 6).join(', ')}
            {s.symbols.length > 6 ? '…' : ''}
          </div>
          <div className="fact">
            <b data-testid="scan-days">{s.days}</b>symbol-days{' '}
            {s.firstDay ? `${s.firstDay} → ${s.lastDay}` : ''}
          </div>
          <div className="fact">
            <b data-testid="scan-estimate">~{fmtCount(s.estimatedTicks)}</b>ticks (estimate)
          </div>
          <div className="fact">
            <b>
              {Object.entries(s.formats)
                .map(([f, n]) => `${f} ×${n}`)
                .join(', ') || 'none'}
            </b>
            formats
          </div>
          {s.alreadyMigrated > 0 && (
            <div className="fact">
              <b>{s.alreadyMigrated}</b>already migrated (will be skipped)
            </div>
          )}
        </div>
        {s.problems.length > 0 && (
          <ProblemList
            bad
            testId="scan-problems"
            title={`${s.problems.length} file(s) cannot be migrated`}
            items={s.problems}
          />
        )}
        {s.skippedPathsTotal > 0 && (
          <ProblemList
            testId="scan-skipped-paths"
            title={`${s.skippedPathsTotal} path(s) in the folder not read`}
            items={s.skippedPaths}
          />
        )}
      </section>
      <section className="panel" data-testid="migration-preview">
        <div className="panel-head">
          <h2>Preview: first rows as they will be stored</h2>
        </div>
        {props.previews === null ? (
          <p className="muted">Reading the first rows…</p>
        ) : (
          props.previews.map((p) => (
            <div key={p.path}>
              <h3 className="mono">
                {p.path} <span className="muted">[{p.format}]</span>
              </h3>
              {p.notes.map((n) => (
                <p key={n} className="muted small">
                  {n}
                </p>
              ))}
              <table className="grid small mono">
                <thead>
                  <tr>
                    <th>where</th>
                    <th>symbol</th>
                    <th>time (UTC)</th>
                    <th className="num">bid</th>
                    <th className="num">ask</th>
                    <th>source</th>
                  </tr>
                </thead>
                <tbody>
                  {p.rows.map((r) => (
                    <tr key={r.location}>
                      <td>{r.location}</td>
                      <td>{r.symbol}</td>
                      <td>{r.time}</td>
                      <td className="num">{r.bid}</td>
                      <td className="num">{r.ask}</td>
                      <td>{r.source ?? 'default'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))
        )}
      </section>
      <section className="panel" data-testid="migration-options">
        <div className="panel-head">
          <h2>Options</h2>
        </div>
        <div className="row">
          <label className={batchOk ? '' : 'invalid'}>
            Batch size{' '}
            <input
              type="text"
              className="mono"
              size={7}
              value={batch}
              onChange={(e) => setBatch(e.target.value)}
            />
          </label>
          <label>
            <input type="checkbox" checked={validate} onChange={(e) => setValidate(e.target.checked)} />{' '}
            Validate every tick afterwards
          </label>
        </div>
        <div className="row">
          <label>
            Archive folder (optional, after a passing validation){' '}
            <input
              type="text"
              className="mono"
              value={archiveDir}
              onChange={(e) => setArchiveDir(e.target.value)}
              placeholder="/path/to/archive"
            />
          </label>
          <label>
            <input
              type="checkbox"
              checked={del}
              disabled={archiveDir.trim() === ''}
              onChange={(e) => setDel(e.target.checked)}
            />{' '}
            delete the JSON files once archived
          </label>
        </div>
        {!batchOk && <p className="bad small">Batch size is a whole number from 1 to {MAX_BATCH_SIZE}.</p>}
        {props.error && <p className="bad">{props.error}</p>}
        <div className="row">
          <button
            type="button"
            className="primary"
            disabled={props.busy || !batchOk || migratable === 0}
            data-testid="migration-start"
            onClick={() =>
              props.onStart({
                batchSize: batchValue,
                validate: validate || archiveDir.trim() !== '',
                archiveDir: archiveDir.trim() === '' ? null : archiveDir.trim(),
                deleteAfterArchive: del && archiveDir.trim() !== '',
              })
            }
          >
            Start migration of {migratable} file(s)
          </button>
        </div>
      </section>
    </>
  );
}
