// Storage tab, "Instruments": each symbol's price decimals and pip size as learned (the store's
// scale and the pip rules in format/instrument.ts), with a per-symbol override kept in this
// browser. Overrides apply at once in Live and History (they share one instrument book).
import { useEffect, useState } from 'react';
import { ErrorPanel } from '../app/Panels.tsx';
import { useRequest } from '../app/hooks.ts';
import type { Instrument } from '../format/instrument.ts';
import { defaultPipSize, pipUnit } from '../format/instrument.ts';
import { matchSymbols } from '../symbols/symbolMatch.ts';
import { parseOverrideDraft } from './instrumentOverrides.ts';
import { instrumentBook, useInstruments } from './useInstrument.ts';

const MAX_ROWS = 100;
const ORIGIN_TEXT = {
  override: 'override',
  stored: 'stored scale',
  observed: 'live prices',
  default: 'guess',
};

export function InstrumentSettings() {
  const symbols = useRequest('symbols.list', {});
  const instrument = useInstruments();
  const [filter, setFilter] = useState('');
  useEffect(() => {
    if (symbols.data) instrumentBook.setStored(symbols.data);
  }, [symbols.data]);

  const all = [...new Set([...(symbols.data ?? []).map((s) => s.symbol), ...instrumentBook.overridden()])];
  const shown = matchSymbols(all, filter);
  return (
    <div data-testid="instrument-settings">
      <div className="panel-head">
        <h2>Instruments</h2>
        <input
          type="text"
          className="mono"
          placeholder="Filter symbols"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          aria-label="Filter instruments"
          data-testid="instrument-filter"
        />
        <span className="muted small">
          Decimals and pip size per symbol; an empty override keeps the learned value. Saved in this browser.
        </span>
      </div>
      {symbols.error && <ErrorPanel error={symbols.error} onRetry={symbols.reload} />}
      <table className="grid compact" data-testid="instrument-table">
        <thead>
          <tr>
            <th>Symbol</th>
            <th className="num">Decimals</th>
            <th className="num">Pip / point</th>
            <th>Override decimals</th>
            <th>Override pip size</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {shown.slice(0, MAX_ROWS).map((s) => (
            <InstrumentRow key={s} inst={instrument(s)} />
          ))}
        </tbody>
      </table>
      {shown.length > MAX_ROWS && (
        <p className="muted small">{shown.length - MAX_ROWS} more symbols: type in the filter to find one.</p>
      )}
      {all.length === 0 && !symbols.loading && <p className="muted">No symbols stored yet.</p>}
    </div>
  );
}

function InstrumentRow({ inst }: { inst: Instrument }) {
  const o = instrumentBook.override(inst.symbol);
  const [decimals, setDecimals] = useState(o?.decimals === undefined ? '' : String(o.decimals));
  const [pip, setPip] = useState(o?.pipSize === undefined ? '' : String(o.pipSize));
  const [errors, setErrors] = useState<{ decimals?: string; pipSize?: string }>({});
  const saved = {
    decimals: o?.decimals === undefined ? '' : String(o.decimals),
    pip: o?.pipSize === undefined ? '' : String(o.pipSize),
  };
  const dirty = decimals.trim() !== saved.decimals || pip.trim() !== saved.pip;
  const learnedPip = defaultPipSize(inst.symbol, inst.decimals).pipSize;
  const id = inst.symbol;

  const save = () => {
    const r = parseOverrideDraft(decimals, pip);
    if (!r.ok) {
      setErrors(r.errors);
      return;
    }
    setErrors({});
    instrumentBook.setOverride(inst.symbol, r.override);
  };
  const reset = () => {
    setDecimals('');
    setPip('');
    setErrors({});
    instrumentBook.setOverride(inst.symbol, null);
  };

  return (
    <tr data-testid={`instrument-row-${id}`}>
      <td className="mono">{inst.symbol}</td>
      <td
        className="num mono"
        data-testid={`instrument-decimals-now-${id}`}
        title={ORIGIN_TEXT[inst.decimalsFrom ?? 'default']}
      >
        {inst.decimals}
        {inst.decimalsFrom === 'override' && <span className="muted small"> (override)</span>}
      </td>
      <td className="num mono" data-testid={`instrument-pip-now-${id}`}>
        {formatStep(inst.pipSize)} {pipUnit(inst, 1)}
      </td>
      <td>
        <input
          type="text"
          inputMode="numeric"
          className="mono"
          size={4}
          value={decimals}
          placeholder={String(inst.decimals)}
          onChange={(e) => setDecimals(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && save()}
          aria-label={`${inst.symbol} decimals`}
          aria-invalid={errors.decimals ? true : undefined}
          data-testid={`instrument-decimals-${id}`}
        />
        {errors.decimals && <span className="form-error">{errors.decimals}</span>}
      </td>
      <td>
        <input
          type="text"
          inputMode="decimal"
          className="mono"
          size={10}
          value={pip}
          placeholder={formatStep(learnedPip)}
          onChange={(e) => setPip(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && save()}
          aria-label={`${inst.symbol} pip size`}
          aria-invalid={errors.pipSize ? true : undefined}
          data-testid={`instrument-pip-${id}`}
        />
        {errors.pipSize && <span className="form-error">{errors.pipSize}</span>}
      </td>
      <td>
        <button type="button" disabled={!dirty} onClick={save} data-testid={`instrument-save-${id}`}>
          Save
        </button>{' '}
        <button type="button" disabled={!o} onClick={reset} data-testid={`instrument-reset-${id}`}>
          Reset
        </button>
      </td>
    </tr>
  );
}

/** 0.0001 rather than 1e-4 for the small steps FX uses. */
function formatStep(v: number): string {
  return v >= 1e-6 ? String(v) : v.toFixed(12).replace(/0+$/, '');
}
