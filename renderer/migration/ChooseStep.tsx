// Step 1: which folder, and how to read files whose format or symbol cannot be told.
import { useState } from 'react';
import type { FormatChoice } from '../../shared/migration.ts';
import { MIGRATION_FORMATS } from '../../shared/migration.ts';

export interface SourceChoice {
  inputDir: string;
  format: FormatChoice;
  symbol: string | null;
  serverOffsetHours: number;
}

export function ChooseStep(props: {
  initial: SourceChoice;
  canBrowse: boolean;
  busy: boolean;
  error: string | null;
  onBrowse: () => Promise<string | null>;
  onScan: (choice: SourceChoice) => void;
}) {
  const [dir, setDir] = useState(props.initial.inputDir);
  const [format, setFormat] = useState<FormatChoice>(props.initial.format);
  const [symbol, setSymbol] = useState(props.initial.symbol ?? '');
  const [offset, setOffset] = useState(String(props.initial.serverOffsetHours));
  const offsetValue = Number(offset);
  const offsetOk = offset.trim() !== '' && Number.isFinite(offsetValue) && Math.abs(offsetValue) <= 24;
  return (
    <section className="panel" data-testid="migration-choose">
      <div className="panel-head">
        <h2>Migrate tick files into SQLite</h2>
      </div>
      <p className="muted small">
        Legacy JSON folders (SYMBOL/YYYY-MM-DD.json, nested or flat, .json.gz, JSON Lines) and Dukascopy,
        TrueFX, HistData and MetaTrader 5 exports. Nothing is changed until you start the migration.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!offsetOk || dir.trim() === '') return;
          props.onScan({
            inputDir: dir.trim(),
            format,
            symbol: symbol.trim() === '' ? null : symbol.trim(),
            serverOffsetHours: offsetValue,
          });
        }}
      >
        <div className="row">
          <label htmlFor="migration-dir">Folder</label>
          <input
            id="migration-dir"
            type="text"
            className="mono"
            placeholder="/path/to/json/archive"
            value={dir}
            onChange={(e) => setDir(e.target.value)}
            data-testid="migration-dir"
          />
          {props.canBrowse && (
            <button
              type="button"
              disabled={props.busy}
              onClick={() => {
                void props.onBrowse().then((p) => {
                  if (p) setDir(p);
                });
              }}
            >
              Choose…
            </button>
          )}
        </div>
        <div className="row small">
          <label>
            Format{' '}
            <select value={format} onChange={(e) => setFormat(e.target.value as FormatChoice)}>
              <option value="auto">detect per file</option>
              {MIGRATION_FORMATS.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
          </label>
          <label>
            Symbol if files do not say{' '}
            <input
              type="text"
              className="mono"
              size={10}
              value={symbol}
              onChange={(e) => setSymbol(e.target.value)}
            />
          </label>
          <label className={offsetOk ? '' : 'invalid'}>
            MT5 server offset (h){' '}
            <input
              type="text"
              className="mono"
              size={4}
              value={offset}
              onChange={(e) => setOffset(e.target.value)}
            />
          </label>
        </div>
        {!offsetOk && <p className="bad small">The server offset is a number of hours from -24 to 24.</p>}
        {props.error && (
          <p className="bad" data-testid="migration-error">
            {props.error}
          </p>
        )}
        <div className="row">
          <button
            type="submit"
            className="primary"
            disabled={props.busy || dir.trim() === '' || !offsetOk}
            data-testid="migration-scan"
          >
            {props.busy ? 'Scanning…' : 'Scan folder'}
          </button>
        </div>
      </form>
    </section>
  );
}
