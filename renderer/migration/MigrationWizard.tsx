// The migration wizard: choose a folder -> scan summary and preview -> options -> run with
// progress -> validation, archive and report. The run lives in main; this view only shows it,
// so leaving the page does not stop it, and coming back reattaches through migration.status.
import { useCallback, useContext, useEffect, useState } from 'react';
import type { TickscopeApi } from '../../shared/ipc/contract.ts';
import type {
  MigrationProgress,
  MigrationReport,
  MigrationStatus,
  PreviewResult,
  ScanSummary,
} from '../../shared/migration.ts';
import { AppContext } from '../app/hooks.ts';
import { ChooseStep } from './ChooseStep.tsx';
import type { SourceChoice } from './ChooseStep.tsx';
import { ResultStep } from './ResultStep.tsx';
import { RunStep } from './RunStep.tsx';
import { ScanStep } from './ScanStep.tsx';
import type { RunChoice } from './ScanStep.tsx';
import './migrationWizard.css';

type Step = 'choose' | 'scan' | 'run' | 'result';
const STEP_NAMES: Record<Step, string> = {
  choose: 'Folder',
  scan: 'Scan & options',
  run: 'Migrate',
  result: 'Result',
};
const FINAL_PHASES = new Set(['done', 'failed', 'cancelled']);

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function MigrationWizard({ api }: { api: TickscopeApi }) {
  const app = useContext(AppContext);
  const isElectron = app?.isElectron ?? false;
  const epoch = app?.epoch ?? 0;
  const [step, setStep] = useState<Step>('choose');
  const [source, setSource] = useState<SourceChoice>({
    inputDir: '',
    format: 'auto',
    symbol: null,
    serverOffsetHours: 0,
  });
  const [scan, setScan] = useState<ScanSummary | null>(null);
  const [previews, setPreviews] = useState<PreviewResult[] | null>(null);
  const [progress, setProgress] = useState<MigrationProgress | null>(null);
  const [report, setReport] = useState<MigrationReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const applyStatus = useCallback((s: MigrationStatus) => {
    if (s.running) {
      setProgress(s.progress);
      setStep('run');
    } else if (s.report) {
      const o = s.report.options;
      setReport(s.report);
      // After a reload, "New migration" starts from the folder of the run shown.
      setSource({
        inputDir: o.inputDir,
        format: o.format,
        symbol: o.symbol,
        serverOffsetHours: o.serverOffsetHours,
      });
      setStep((cur) => (cur === 'run' || cur === 'choose' ? 'result' : cur));
    } else if (s.error) {
      // The run died without a report (its worker failed): say so instead of waiting forever.
      setError(s.error);
      setStep((cur) => (cur === 'run' ? 'choose' : cur));
    }
  }, []);

  // Reattach to a run started earlier (or from another window), and again after a reconnect.
  useEffect(() => {
    api.call('migration.status', {}).then(applyStatus, (err: unknown) => setError(message(err)));
  }, [api, applyStatus, epoch]);

  // Events sent while this page was away (or reconnecting) are gone; while a run is shown, ask
  // now and then as well, so the end of a run is never missed.
  useEffect(() => {
    if (step !== 'run') return;
    const timer = setInterval(() => {
      api.call('migration.status', {}).then(applyStatus, () => undefined);
    }, 2000);
    return () => clearInterval(timer);
  }, [api, applyStatus, step]);

  useEffect(
    () =>
      api.on('migration.progress', (p) => {
        setProgress(p);
        if (FINAL_PHASES.has(p.phase)) {
          setCancelling(false);
          api.call('migration.status', {}).then(applyStatus, (err: unknown) => setError(message(err)));
        } else {
          setStep('run');
        }
      }),
    [api, applyStatus],
  );

  const doScan = (choice: SourceChoice) => {
    setSource(choice);
    setBusy(true);
    setError(null);
    setPreviews(null);
    api
      .call('migration.scan', choice)
      .then((s) => {
        setScan(s);
        setStep('scan');
        return api.call('migration.preview', { ...choice, rows: 5 }).then(setPreviews);
      })
      .catch((err: unknown) => setError(message(err)))
      .finally(() => setBusy(false));
  };

  const doStart = (choice: RunChoice) => {
    setBusy(true);
    setError(null);
    setReport(null);
    api
      .call('migration.start', { ...source, ...choice, dryRun: false })
      .then((s) => {
        setProgress(s.progress);
        setStep('run');
      })
      .catch((err: unknown) => setError(message(err)))
      .finally(() => setBusy(false));
  };

  return (
    <div className="migration-wizard" data-testid="migration-wizard" data-step={step}>
      <div className="steps">
        {(Object.keys(STEP_NAMES) as Step[]).map((s) => (
          <span key={s} className={s === step ? 'current' : ''}>
            {STEP_NAMES[s]}
          </span>
        ))}
      </div>
      {step === 'choose' && (
        <ChooseStep
          initial={source}
          canBrowse={isElectron}
          busy={busy}
          error={error}
          onBrowse={() =>
            api.call('migration.chooseFolder', {}).then(
              (r) => r.path,
              (err: unknown) => {
                setError(message(err));
                return null;
              },
            )
          }
          onScan={doScan}
        />
      )}
      {step === 'scan' && scan && (
        <ScanStep
          scan={scan}
          previews={previews}
          busy={busy}
          error={error}
          onBack={() => setStep('choose')}
          onStart={doStart}
        />
      )}
      {step === 'run' && (
        <RunStep
          progress={progress}
          cancelling={cancelling}
          onCancel={() => {
            setCancelling(true);
            void api.call('migration.cancel', {}).catch((err: unknown) => setError(message(err)));
          }}
        />
      )}
      {step === 'result' && report && (
        <ResultStep
          report={report}
          onArchive={(archiveDir, deleteAfterArchive) =>
            api.call('migration.archive', { archiveDir, deleteAfterArchive })
          }
          onNew={() => {
            setStep('choose');
            setScan(null);
            setReport(null);
            setProgress(null);
          }}
        />
      )}
    </div>
  );
}
