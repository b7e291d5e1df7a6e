// The time zone every time on screen is shown in: a preset, or any zone typed by id (a fixed
// offset such as UTC+2, an IANA name such as Europe/Athens, NY+7 for New York close server time).
import { useState } from 'react';
import type { ZoneId } from '../time/zone.ts';
import { parseZoneId, ZONE_PRESETS, zoneLabel } from '../time/zone.ts';
import './app.css';

export function ZonePicker({ zone, onChange }: { zone: ZoneId; onChange: (zone: ZoneId) => void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const isPreset = ZONE_PRESETS.some((p) => p.id === zone);

  const apply = () => {
    const entry = text.trim();
    if (entry === '') return;
    const id = parseZoneId(entry);
    if (id === null) {
      setError(
        `“${entry}” is not a time zone. Try UTC+2, NY+7, local or an IANA name such as Europe/London.`,
      );
      return;
    }
    setError(null);
    setText('');
    onChange(id);
  };

  return (
    <div className="zone-picker">
      <select
        value={zone}
        onChange={(e) => onChange(e.target.value)}
        title="Time zone of every time shown: the axis, readouts, range inputs and daily bars"
        aria-label="Time zone"
        data-testid="zone-toggle"
        data-zone={zone}
      >
        {!isPreset && <option value={zone}>{zoneLabel(zone)}</option>}
        {ZONE_PRESETS.map((p) => (
          <option key={p.id} value={p.id}>
            {p.label}
          </option>
        ))}
      </select>
      <input
        type="text"
        className={`zone-input${error ? ' invalid' : ''}`}
        value={text}
        placeholder="other zone…"
        aria-label="Type a time zone"
        aria-invalid={error !== null}
        spellCheck={false}
        onChange={(e) => {
          setText(e.target.value);
          setError(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') apply();
          if (e.key === 'Escape') {
            setText('');
            setError(null);
          }
        }}
        onBlur={apply}
        data-testid="zone-input"
      />
      {error && (
        <div className="zone-error" role="alert" data-testid="zone-error">
          {error}
        </div>
      )}
    </div>
  );
}
