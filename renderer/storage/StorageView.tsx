// Storage tab: backend, data folder, write/queue/retention/compaction/throttle settings, the
// archive tier, retention, the disk forecast and the per-day files.
import { useState } from 'react';
import type { StorageSettings } from '../../shared/catalog.ts';
import type { Backend } from '../../shared/stats.ts';
import { BACKENDS } from '../../shared/stats.ts';
import { ErrorPanel, Loading } from '../app/Panels.tsx';
import { errorText, useApp, useRequest } from '../app/hooks.ts';
import { JsonOnlyNotice } from '../history/JsonOnlyNotice.tsx';
import { InstrumentSettings } from '../instruments/InstrumentSettings.tsx';
import { QualityPanel } from '../quality/QualityPanel.tsx';
import { ArchiveSection } from './ArchiveSection.tsx';
import { SettingsForm } from './SettingsForm.tsx';
import './storageView.css';

const BACKEND_LABEL: Record<Backend, string> = { sqlite: 'SQLite', json: 'JSON (legacy)', dual: 'Dual' };
const BACKEND_HINT: Record<Backend, string> = {
  sqlite: 'One SQLite file per day. Fast queries, crash-safe batches.',
  json: 'Legacy per-symbol JSON files only, for old tools that still read them. History does not see these ticks until they are migrated.',
  dual: 'Writes both, for a migration period.',
};

export function StorageView() {
  const settings = useRequest('storage.settings', {});
  if (settings.loading && !settings.data) return <Loading label="Loading storage settings…" />;
  if (!settings.data) return <ErrorPanel error={settings.error} onRetry={settings.reload} />;
  return (
    <div className="storage-layout">
      <section className="panel">
        <BackendToggle settings={settings.data} onChange={settings.set} />
        {/* Every period so far; remounted on a switch, so the one just opened or closed shows. */}
        <JsonOnlyNotice key={settings.data.backend} fromUs={0} toUs={Number.MAX_SAFE_INTEGER} />
        <DataDir settings={settings.data} onChange={settings.set} />
      </section>
      <section className="panel">
        <h2>Writing</h2>
        <SettingsForm settings={settings.data} onSaved={settings.set} />
      </section>
      <ArchiveSection settings={settings.data} />
      <QualityPanel />
      <section className="panel wide">
        <InstrumentSettings />
      </section>
    </div>
  );
}

function BackendToggle({
  settings,
  onChange,
}: {
  settings: StorageSettings;
  onChange: (s: StorageSettings) => void;
}) {
  const { api } = useApp();
  const [busy, setBusy] = useState<Backend | null>(null);
  const [error, setError] = useState<string | null>(null);
  // JSON-only takes ticks out of History's reach, so it is never one click away.
  const [confirming, setConfirming] = useState(false);
  const choose = async (backend: Backend) => {
    setConfirming(false);
    setBusy(backend);
    setError(null);
    try {
      const stats = await api.call('storage.setBackend', { backend });
      onChange({ ...settings, backend: stats.backend });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="field-block">
      <h2>Storage backend</h2>
      <div className="segmented" role="radiogroup" aria-label="Storage backend">
        {BACKENDS.map((b) => (
          <button
            key={b}
            type="button"
            role="radio"
            aria-checked={settings.backend === b}
            className={settings.backend === b ? 'active' : ''}
            disabled={busy !== null}
            onClick={() =>
              b === 'json' && settings.backend !== 'json' ? setConfirming(true) : void choose(b)
            }
            data-testid={`backend-toggle-${b}`}
          >
            {busy === b ? '…' : BACKEND_LABEL[b]}
          </button>
        ))}
      </div>
      <p className="muted small" data-testid="backend-current" data-backend={settings.backend}>
        {BACKEND_HINT[settings.backend]} Takes effect with the next batch.
      </p>
      {confirming && (
        <div
          className="confirm-json-only"
          role="alertdialog"
          aria-label="Switch to JSON only?"
          data-testid="confirm-json-only"
        >
          <p>
            <strong>Record to JSON files only?</strong> History reads the SQLite day files, so ticks recorded
            while the backend is JSON-only will not appear in History until they are migrated (Migrate tab).
            Dual keeps History complete while also writing JSON.
          </p>
          <button
            type="button"
            className="danger"
            onClick={() => void choose('json')}
            data-testid="confirm-json-only-accept"
          >
            Switch to JSON only
          </button>{' '}
          <button type="button" onClick={() => void choose('dual')} data-testid="confirm-json-only-dual">
            Use Dual instead
          </button>{' '}
          <button type="button" onClick={() => setConfirming(false)} data-testid="confirm-json-only-cancel">
            Cancel
          </button>
        </div>
      )}
      {error && <p className="form-error">{error}</p>}
    </div>
  );
}

function DataDir({
  settings,
  onChange,
}: {
  settings: StorageSettings;
  onChange: (s: StorageSettings) => void;
}) {
  const { api, isElectron } = useApp();
  const [path, setPath] = useState(settings.dataDir);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);

  const applyPath = async (p: string) => {
    setBusy(true);
    setMessage(null);
    try {
      const next = await api.call('storage.setDataDir', { path: p });
      onChange(next);
      setPath(next.dataDir);
      setMessage({ error: false, text: `Recording to ${next.dataDir}` });
    } catch (err) {
      setMessage({ error: true, text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  const choose = async () => {
    setBusy(true);
    setMessage(null);
    try {
      const picked = await api.call('storage.chooseDataDir', {});
      if (picked.path) await applyPath(picked.path);
    } catch (err) {
      setMessage({ error: true, text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="field-block">
      <h2>Data folder</h2>
      <p className="mono path" data-testid="data-dir">
        {settings.dataDir}
      </p>
      {isElectron ? (
        <button type="button" disabled={busy} onClick={() => void choose()} data-testid="data-dir-choose">
          Choose…
        </button>
      ) : (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (path.trim()) void applyPath(path.trim());
          }}
        >
          <input
            type="text"
            className="mono"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            aria-label="Data folder path on the server"
            data-testid="data-dir-input"
          />
          <button type="submit" disabled={busy || !path.trim()} data-testid="data-dir-apply">
            Apply
          </button>
        </form>
      )}
      {message && <p className={message.error ? 'form-error' : 'form-ok'}>{message.text}</p>}
    </div>
  );
}
