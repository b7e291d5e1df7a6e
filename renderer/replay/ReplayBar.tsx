// Replay controls above the Live chart. Idle: choose a symbol, a source (or all), a start time
// (24-hour text in the view's zone) and a speed, then Replay. Running: a REPLAY badge with the
// replay clock and speed, play/pause, step (paused), seek, speed and Stop back to live.
import { useState } from 'react';
import type { SymbolInfo } from '../../shared/catalog.ts';
import type { ReplaySpeed } from '../../shared/replay.ts';
import { REPLAY_SPEEDS } from '../../shared/replay.ts';
import { useApp } from '../app/hooks.ts';
import { formatDateTimeMs, parseDateTimeInput, toDateTimeInput } from '../format/time.ts';
import { TimeText } from '../time/TimeText.tsx';
import { zoneLabel } from '../time/zone.ts';
import type { ReplayHandle } from './useReplay.ts';
import './replay.css';

const HINT = 'use YYYY-MM-DD HH:MM[:SS[.mmm]], 24-hour';

export const speedText = (s: ReplaySpeed): string => (s === 'max' ? 'max' : `${s}x`);

export function ReplayBar({
  replay,
  stored,
  liveSymbols,
  current,
}: {
  replay: ReplayHandle;
  /** Symbols on disk (what can be replayed), with their first tick and sources. */
  stored: readonly SymbolInfo[];
  /** Symbols quoting now: offered too, so the list is the one Live already shows. */
  liveSymbols: readonly string[];
  /** The symbol Live shows now: the default pick. */
  current: string | null;
}) {
  const { zone } = useApp();
  const names = [...new Set([...stored.map((s) => s.symbol), ...liveSymbols])].sort();
  const [picked, setPicked] = useState<string | null>(null);
  const symbol = picked ?? (current && names.includes(current) ? current : (names[0] ?? ''));
  const info = stored.find((s) => s.symbol === symbol);
  const [source, setSource] = useState('');
  const [from, setFrom] = useState<string | null>(null);
  const [speed, setSpeed] = useState<ReplaySpeed>(100);
  const [seekText, setSeekText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const fromText = from ?? (info ? toDateTimeInput(info.firstUs, zone) : '');
  const zoneText = zoneLabel(zone);
  const s = replay.state;

  const begin = () => {
    const fromUs = parseDateTimeInput(fromText, zone);
    if (!symbol) return setProblem('Choose a symbol to replay.');
    if (fromUs === null)
      return setProblem(`"Start" is not a valid date and time: ${fromText || '(empty)'} (${HINT})`);
    setProblem(null);
    setSeekText(toDateTimeInput(fromUs, zone));
    replay.start({ symbol, source: source || null, fromUs }, speed);
  };

  const seek = () => {
    const toUs = parseDateTimeInput(seekText, zone);
    if (toUs === null)
      return setProblem(`"Seek to" is not a valid date and time: ${seekText || '(empty)'} (${HINT})`);
    setProblem(null);
    replay.control({ action: 'seek', toUs });
  };

  const speeds = (value: ReplaySpeed, onPick: (v: ReplaySpeed) => void) => (
    <span className="replay-speeds" role="group" aria-label="Replay speed">
      {REPLAY_SPEEDS.map((v) => (
        <button
          key={String(v)}
          type="button"
          className={v === value ? 'on' : ''}
          aria-pressed={v === value}
          onClick={() => onPick(v)}
          data-testid={`replay-speed-${v}`}
        >
          {speedText(v)}
        </button>
      ))}
    </span>
  );

  const error = problem ?? replay.error;
  if (!s) {
    return (
      <form
        className="toolbar replay-bar"
        data-testid="replay-bar"
        onSubmit={(e) => {
          e.preventDefault();
          begin();
        }}
      >
        <strong className="replay-title">Replay</strong>
        <label>
          Symbol
          <select
            value={symbol}
            onChange={(e) => {
              setPicked(e.target.value);
              setSource('');
              setFrom(null);
            }}
            data-testid="replay-symbol"
          >
            {names.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          Source
          <select value={source} onChange={(e) => setSource(e.target.value)} data-testid="replay-source">
            <option value="">All sources</option>
            {(info?.sources ?? []).map((src) => (
              <option key={src} value={src}>
                {src}
              </option>
            ))}
          </select>
        </label>
        <TimeText label={`Start (${zoneText})`} value={fromText} onChange={setFrom} testId="replay-from" />
        <label>
          Speed
          {speeds(speed, setSpeed)}
        </label>
        <button type="submit" disabled={replay.busy || names.length === 0} data-testid="replay-start">
          ▶ Replay
        </button>
        {error && (
          <span className="form-error" role="alert">
            {error}
          </span>
        )}
      </form>
    );
  }

  const playing = s.phase === 'playing';
  return (
    <form
      className="toolbar replay-bar running"
      data-testid="replay-bar"
      onSubmit={(e) => {
        e.preventDefault();
        seek();
      }}
    >
      <span className="replay-badge" data-testid="replay-badge" data-phase={s.phase} role="status">
        REPLAY
        <span className="mono" data-testid="replay-clock" data-clock-us={s.clockUs}>
          {formatDateTimeMs(s.clockUs, zone)}
        </span>
        <span data-testid="replay-badge-speed">{speedText(s.speed)}</span>
        <span className="replay-phase">
          {s.phase === 'ended' ? 'ended' : s.phase === 'paused' ? 'paused' : 'playing'}
        </span>
      </span>
      <span className="muted small">
        {replay.run?.symbol}
        {replay.run?.source ? ` · ${replay.run.source}` : ''} · {s.delivered.toLocaleString('en-US')} ticks
      </span>
      {s.phase !== 'ended' &&
        (playing ? (
          <button
            type="button"
            onClick={() => replay.control({ action: 'pause' })}
            data-testid="replay-pause"
          >
            ❚❚ Pause
          </button>
        ) : (
          <button type="button" onClick={() => replay.control({ action: 'play' })} data-testid="replay-play">
            ▶ Play
          </button>
        ))}
      <button
        type="button"
        disabled={playing || s.phase === 'ended'}
        onClick={() => replay.control({ action: 'step' })}
        title="One tick (while paused)"
        data-testid="replay-step"
      >
        Step
      </button>
      {speeds(s.speed, (v) => replay.control({ action: 'speed', speed: v }))}
      {s.waitingMs !== undefined && (
        <span className="replay-waiting" data-testid="replay-waiting">
          next tick in {Math.round(s.waitingMs / 1000)} s
          <button type="button" onClick={() => replay.control({ action: 'skipWait' })}>
            Skip
          </button>
        </span>
      )}
      <TimeText
        label={`Seek to (${zoneText})`}
        value={seekText}
        onChange={setSeekText}
        testId="replay-seek"
      />
      <button type="submit" data-testid="replay-seek-go">
        Go
      </button>
      <button type="button" className="replay-stop" onClick={replay.stop} data-testid="replay-stop">
        {s.phase === 'ended' ? 'Back to live' : '■ Stop'}
      </button>
      {error && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
