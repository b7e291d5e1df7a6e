// The Export dialog of History (the selected range, or one typed in the zone's 24-hour fields)
// and Storage (a day): format and its options, then progress with ticks, ETA and Cancel. In the
// browser a finished export is fetched from the server's /exports route as a download; in
// Electron the file was saved where the save dialog said, and the path is shown.
import { useRef, useState } from 'react';
import type { CsvColumn, CsvPreset, CsvTimeFormat, ExportFormat } from '../../shared/export.ts';
import {
  BAR_SIDES,
  CSV_COLUMNS,
  CSV_PRESETS,
  CSV_TIME_FORMATS,
  EXPORT_FORMATS,
} from '../../shared/export.ts';
import type { ExportStatus } from '../../shared/ipc/exportChannels.ts';
import { errorText, useApp, useEvent } from '../app/hooks.ts';
import { formatCount } from '../format/number.ts';
import { parseDateTimeInput, toDateTimeInput } from '../format/time.ts';
import { TimeText } from '../time/TimeText.tsx';
import { zoneLabel } from '../time/zone.ts';
import type { ExportScope } from './exportForm.ts';
import { DEFAULT_EXPORT_FORM, exportStartInput, formatEta } from './exportForm.ts';
import '../app/app.css';

function startDownload(path: string): void {
  // Same origin: the server's HttpOnly cookie authorises it, so the token stays out of the URL.
  const a = document.createElement('a');
  a.href = path;
  a.download = path.split('/').at(-1) ?? 'export';
  document.body.append(a);
  a.click();
  a.remove();
}

export function ExportDialog({
  scope,
  title,
  onClose,
}: {
  scope: ExportScope;
  title: string;
  onClose: () => void;
}) {
  const { api, isElectron, zone } = useApp();
  const [form, setForm] = useState(DEFAULT_EXPORT_FORM);
  const [from, setFrom] = useState(toDateTimeInput(scope.fromUs, zone));
  const [to, setTo] = useState(toDateTimeInput(scope.toUs, zone));
  const [status, setStatus] = useState<ExportStatus | null>(null);
  const [error, setError] = useState<string | null>(null);

  const downloaded = useRef<string | null>(null);
  const follow = (s: ExportStatus | null) => {
    setStatus(s);
    if (!isElectron && s?.state === 'done' && s.downloadPath && downloaded.current !== s.id) {
      downloaded.current = s.id;
      startDownload(s.downloadPath);
    }
  };
  // A short export can finish before export.start answers: its events are kept to catch up on.
  const latest = useRef<ExportStatus | null>(null);
  const currentId = useRef<string | null>(null);
  useEvent('export.progress', (s) => {
    latest.current = s;
    if (s.id === currentId.current) follow(s);
  });

  // The fields show whole seconds; a bound the user left as it was keeps its exact µs, so the
  // visible view exports exactly what the chart shows.
  const fromUs = from === toDateTimeInput(scope.fromUs, zone) ? scope.fromUs : parseDateTimeInput(from, zone);
  const toUs = to === toDateTimeInput(scope.toUs, zone) ? scope.toUs : parseDateTimeInput(to, zone);
  const rangeOk = fromUs !== null && toUs !== null && toUs > fromUs;
  const running = status?.state === 'running';

  const start = async () => {
    if (!rangeOk) return;
    setError(null);
    try {
      const s = await api.call(
        'export.start',
        exportStartInput(form, { ...scope, fromUs, toUs }, isElectron),
      );
      currentId.current = s?.id ?? null;
      const seen = latest.current;
      follow(s && seen?.id === s.id && seen.state !== 'running' ? seen : s);
    } catch (e) {
      setError(errorText(e));
    }
  };
  const cancel = async () => {
    if (!status) return;
    try {
      setStatus(await api.call('export.cancel', { id: status.id }));
    } catch (e) {
      setError(errorText(e));
    }
  };
  const set = (patch: Partial<typeof form>) => setForm({ ...form, ...patch });
  const toggleColumn = (c: CsvColumn) =>
    set({
      csvColumns: form.csvColumns.includes(c)
        ? form.csvColumns.filter((x) => x !== c)
        : CSV_COLUMNS.filter((x) => x === c || form.csvColumns.includes(x)),
    });
  const pct =
    status && status.ticksTotal > 0 ? Math.min(100, (100 * status.ticksDone) / status.ticksTotal) : 0;

  return (
    <div className="shortcut-overlay" onClick={running ? undefined : onClose}>
      <div
        className="shortcut-help panel export-dialog"
        role="dialog"
        aria-modal="true"
        aria-label="Export ticks"
        data-testid="export-dialog"
        onClick={(e) => e.stopPropagation()}
      >
        <div className="panel-head">
          <h2>{title}</h2>
          <button type="button" onClick={onClose} disabled={running} data-testid="export-close">
            Close
          </button>
        </div>
        <p className="muted small">
          {scope.symbols.length ? scope.symbols.join(', ') : 'All symbols'}
          {scope.sources.length ? ` · ${scope.sources.join(', ')}` : ''}
        </p>
        <TimeText
          label={`From (${zoneLabel(zone)})`}
          value={from}
          onChange={setFrom}
          disabled={running}
          testId="export-from"
        />
        <TimeText
          label={`To (${zoneLabel(zone)})`}
          value={to}
          onChange={setTo}
          disabled={running}
          testId="export-to"
        />
        {!rangeOk && <p className="error small">The range needs From before To, as YYYY-MM-DD HH:MM:SS.</p>}
        <label>
          Format
          <select
            value={form.format}
            onChange={(e) => set({ format: e.target.value as ExportFormat })}
            disabled={running}
            data-testid="export-format"
          >
            {EXPORT_FORMATS.filter((f) => isElectron || f !== 'legacy-json').map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </label>
        {form.format === 'csv' && (
          <fieldset disabled={running}>
            <label>
              Preset
              <select
                value={form.csvPreset}
                onChange={(e) => set({ csvPreset: e.target.value as CsvPreset | 'none' })}
                data-testid="export-csv-preset"
              >
                <option value="none">none (choose columns)</option>
                {CSV_PRESETS.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            </label>
            {form.csvPreset === 'none' && (
              <>
                <label>
                  Time
                  <select
                    value={form.csvTime}
                    onChange={(e) => set({ csvTime: e.target.value as CsvTimeFormat })}
                    data-testid="export-csv-time"
                  >
                    {CSV_TIME_FORMATS.map((t) => (
                      <option key={t} value={t}>
                        {t}
                      </option>
                    ))}
                  </select>
                </label>
                <div className="export-columns">
                  {CSV_COLUMNS.map((c) => (
                    <label key={c}>
                      <input
                        type="checkbox"
                        checked={form.csvColumns.includes(c)}
                        onChange={() => toggleColumn(c)}
                        data-testid={`export-col-${c}`}
                      />
                      {c}
                    </label>
                  ))}
                </div>
              </>
            )}
          </fieldset>
        )}
        {form.format === 'bars-csv' && (
          <fieldset disabled={running}>
            <label>
              Timeframe (s)
              <input
                type="number"
                min={1}
                value={form.timeframeSec}
                onChange={(e) => set({ timeframeSec: Math.max(1, Math.round(Number(e.target.value) || 60)) })}
                data-testid="export-timeframe"
              />
            </label>
            <label>
              Side
              <select
                value={form.side}
                onChange={(e) => set({ side: e.target.value as typeof form.side })}
                data-testid="export-side"
              >
                {BAR_SIDES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </label>
          </fieldset>
        )}
        <div className="export-actions">
          {running ? (
            <button type="button" onClick={() => void cancel()} data-testid="export-cancel">
              Cancel
            </button>
          ) : (
            <button
              type="button"
              onClick={() => void start()}
              disabled={
                !rangeOk ||
                (form.format === 'csv' && form.csvPreset === 'none' && form.csvColumns.length === 0)
              }
              data-testid="export-start"
            >
              Export
            </button>
          )}
        </div>
        {error && (
          <p className="error" data-testid="export-error">
            {error}
          </p>
        )}
        {status && (
          <div data-testid="export-progress" data-state={status.state}>
            <progress max={100} value={pct} />
            <p className="small mono">
              {formatCount(status.ticksDone)} / {formatCount(status.ticksTotal)} ticks
              {status.state === 'running' ? ` · ETA ${formatEta(status.etaMs)}` : ` · ${status.state}`}
            </p>
            {status.state === 'done' && isElectron && (
              <p className="small mono" data-testid="export-saved">
                Saved to {status.outPath}
              </p>
            )}
            {status.state === 'done' && !isElectron && <p className="small">The download has started.</p>}
            {status.state === 'failed' && <p className="error">{status.error}</p>}
          </div>
        )}
      </div>
    </div>
  );
}
