// Step 4-6: outcome, validation, archive and the report.
import { useState } from 'react';
import type { ArchiveResult, MigrationReport } from '../../shared/migration.ts';
import { fmtBytes, fmtCount, fmtDuration } from './wizardFormat.ts';
import { ProblemList } from './ProblemList.tsx';

export function ResultStep(props: {
  report: MigrationReport;
  onArchive: (archiveDir: string, deleteAfter: boolean) => Promise<ArchiveResult>;
  onNew: () => void;
}) {
  const r = props.report;
  const t = r.totals;
  const v = r.validation;
  const [archiveDir, setArchiveDir] = useState(r.options.archiveDir ?? '');
  const [del, setDel] = useState(false);
  const [archive, setArchive] = useState<ArchiveResult | null>(r.archive);
  const [archiveError, setArchiveError] = useState<string | null>(null);
  const [archiving, setArchiving] = useState(false);
  const canArchive = v?.ok === true && r.badFiles.length === 0 && archive === null;
  return (
    <>
      <section className="panel" data-testid="migration-result" data-outcome={r.outcome}>
        <div className="panel-head">
          <h2 className={r.outcome === 'done' ? 'ok' : 'bad'}>
            Migration {r.outcome === 'done' ? 'finished' : r.outcome}
            {r.error && r.outcome !== 'cancelled' ? `: ${r.error}` : ''}
          </h2>
          <button type="button" onClick={props.onNew} data-testid="migration-new">
            New migration
          </button>
        </div>
        <div className="facts">
          <div className="fact">
            <b data-testid="result-migrated">{t.migrated}</b>files migrated
          </div>
          <div className="fact">
            <b>{t.skippedDone}</b>already migrated before
          </div>
          {t.skippedIdentical > 0 && (
            <div className="fact">
              <b data-testid="result-identical">{t.skippedIdentical}</b>copies of migrated files (not read)
            </div>
          )}
          <div className="fact">
            <b className={t.bad ? 'bad' : ''} data-testid="result-bad">
              {t.bad}
            </b>
            bad files
          </div>
          <div className="fact">
            <b data-testid="result-ticks">{fmtCount(t.ticksAccepted)}</b>ticks stored (
            {fmtCount(t.ticksDuplicate)} were already there)
          </div>
          <div className="fact">
            <b>{fmtCount(t.ticksRejected)}</b>ticks rejected
          </div>
          <div className="fact">
            <b>{fmtCount(t.ticksPerSec)}/s</b>in {fmtDuration(t.durationMs / 1000)}
          </div>
        </div>
        {r.badFiles.length > 0 && <ProblemList bad title="Files skipped or incomplete" items={r.badFiles} />}
        {r.skippedPathsTotal > 0 && (
          <ProblemList
            testId="result-skipped-paths"
            title={`${r.skippedPathsTotal} path(s) in the folder not read`}
            items={r.skippedPaths.slice(0, 50)}
          />
        )}
        {r.rejectionsTotal > 0 && (
          <div className="problems">
            <h3>Rejected ticks by reason</h3>
            <table className="grid small">
              <tbody>
                {Object.entries(r.rejectionsByReason).map(([reason, n]) => (
                  <tr key={reason}>
                    <td className="mono">{reason}</td>
                    <td className="num">{n}</td>
                  </tr>
                ))}
                {r.rejections.slice(0, 20).map((x, i) => (
                  <tr key={`${x.file}-${x.location}-${i}`}>
                    <td className="mono">
                      {x.file} {x.location}
                    </td>
                    <td>{x.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="panel" data-testid="migration-validation" data-ok={v ? String(v.ok) : 'skipped'}>
        <div className="panel-head">
          <h2>Validation</h2>
        </div>
        {v === null ? (
          <p className="muted">Not run.</p>
        ) : (
          <>
            <p className={v.ok ? 'ok' : 'bad'}>
              {v.ok ? 'Passed' : 'FAILED'}: {v.checkedDays} symbol-days, {fmtCount(v.sourceTicks)} source
              ticks, {v.missing} missing; {fmtCount(v.extra)} other rows in the store (recorded live or
              imported from elsewhere).
            </p>
            {v.mismatches.length > 0 && (
              <table className="grid small mono">
                <thead>
                  <tr>
                    <th>symbol</th>
                    <th>day</th>
                    <th className="num">source</th>
                    <th className="num">in store</th>
                    <th className="num">missing</th>
                    <th>checksums</th>
                  </tr>
                </thead>
                <tbody>
                  {v.mismatches.slice(0, 50).map((e) => (
                    <tr key={`${e.symbol}|${e.day}`}>
                      <td>{e.symbol}</td>
                      <td>{e.day}</td>
                      <td className="num">{e.sourceDistinct}</td>
                      <td className="num">{e.dbTicks}</td>
                      <td className="num">{e.missing}</td>
                      <td>
                        {e.sourceChecksum} / {e.dbChecksum}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </section>
      <section className="panel" data-testid="migration-archive">
        <div className="panel-head">
          <h2>Archive the JSON files</h2>
        </div>
        {archive ? (
          <p className="ok" data-testid="archive-result">
            {archive.files} files packed into <span className="mono">{archive.archivePath}</span> (
            {fmtBytes(archive.bytes)}){archive.deleted ? '; originals deleted.' : '; originals kept.'}
          </p>
        ) : canArchive ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setArchiving(true);
              setArchiveError(null);
              props
                .onArchive(archiveDir.trim(), del)
                .then(setArchive, (err: unknown) =>
                  setArchiveError(err instanceof Error ? err.message : String(err)),
                )
                .finally(() => setArchiving(false));
            }}
          >
            <div className="row">
              <input
                type="text"
                className="mono"
                placeholder="/path/to/archive"
                value={archiveDir}
                onChange={(e) => setArchiveDir(e.target.value)}
                data-testid="archive-dir"
              />
              <label>
                <input type="checkbox" checked={del} onChange={(e) => setDel(e.target.checked)} /> delete the
                originals
              </label>
              <button
                type="submit"
                disabled={archiving || archiveDir.trim() === ''}
                data-testid="archive-start"
              >
                {archiving ? 'Archiving…' : 'Archive'}
              </button>
            </div>
            {archiveError && <p className="bad">{archiveError}</p>}
          </form>
        ) : (
          <p className="muted">Archiving needs a passing validation and no bad files.</p>
        )}
      </section>
      {r.reportPaths && (
        <section className="panel" data-testid="migration-report">
          <div className="panel-head">
            <h2>Report</h2>
          </div>
          <p className="small mono">{r.reportPaths.txt}</p>
          <p className="small mono">{r.reportPaths.json}</p>
        </section>
      )}
    </>
  );
}
