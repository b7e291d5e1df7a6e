import { useState } from 'react';
import type { StorageSettings } from '../../shared/catalog.ts';
import { errorText, useApp } from '../app/hooks.ts';
import { SIZE_UNITS } from './sizeInput.ts';
import type { SizeUnit } from './sizeInput.ts';
import type { NumericSettingKey } from './settingsDraft.ts';
import { buildPatch, draftFrom, draftIsDirty, NUMERIC_SETTINGS } from './settingsDraft.ts';

export function SettingsForm({
  settings,
  onSaved,
}: {
  settings: StorageSettings;
  onSaved: (s: StorageSettings) => void;
}) {
  const { api } = useApp();
  const [draft, setDraft] = useState(() => draftFrom(settings));
  const [errors, setErrors] = useState<Partial<Record<NumericSettingKey, string>>>({});
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // Any edit enables Save, including an invalid one: Save is where the problem gets named.
  const dirty = draftIsDirty(settings, draft);

  const save = async () => {
    const built = buildPatch(settings, draft);
    setErrors(built.errors);
    if (Object.keys(built.errors).length > 0) return;
    if (Object.keys(built.patch).length === 0) {
      setDraft(draftFrom(settings));
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const next = await api.call('storage.updateSettings', built.patch);
      onSaved(next);
      setDraft(draftFrom(next));
      setMessage({ error: false, text: 'Saved. New values apply to the next batch.' });
    } catch (err) {
      setMessage({ error: true, text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="settings-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {NUMERIC_SETTINGS.map((spec) => (
        <label key={spec.key} className={errors[spec.key] ? 'invalid' : ''}>
          <span>{spec.label}</span>
          <span className="with-unit">
            <input
              type="text"
              className="mono"
              value={draft[spec.key]}
              inputMode={spec.size ? 'decimal' : 'numeric'}
              placeholder={spec.emptyMeans ?? ''}
              onChange={(e) => setDraft({ ...draft, [spec.key]: e.target.value })}
              data-testid={`setting-${spec.key}`}
              aria-invalid={errors[spec.key] ? true : undefined}
            />
            {spec.size ? (
              <select
                value={draft.retentionMaxBytesUnit}
                onChange={(e) => setDraft({ ...draft, retentionMaxBytesUnit: e.target.value as SizeUnit })}
                aria-label={`${spec.label} unit`}
                data-testid={`setting-${spec.key}-unit`}
              >
                {SIZE_UNITS.map((u) => (
                  <option key={u} value={u}>
                    {u}
                  </option>
                ))}
              </select>
            ) : (
              <span className="muted small">{spec.unit}</span>
            )}
          </span>
          {errors[spec.key] && <span className="form-error">{errors[spec.key]}</span>}
        </label>
      ))}
      <label className="check">
        <input
          type="checkbox"
          checked={draft.throttleRepeats}
          onChange={(e) => setDraft({ ...draft, throttleRepeats: e.target.checked })}
          data-testid="setting-throttleRepeats"
        />
        <span>Drop repeated identical quotes (throttle)</span>
      </label>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy || !dirty} data-testid="settings-save">
          {busy ? 'Saving…' : 'Save'}
        </button>
        <button type="button" disabled={busy || !dirty} onClick={() => setDraft(draftFrom(settings))}>
          Revert
        </button>
        {message && <span className={message.error ? 'form-error' : 'form-ok'}>{message.text}</span>}
      </div>
    </form>
  );
}
