// Recording tab: start/stop a feed into the store, with its symbol count and rate.
import { useState } from 'react';
import { ErrorPanel, Loading } from '../app/Panels.tsx';
import { errorText, useApp, useEvent, useNow, useRequest } from '../app/hooks.ts';
import { formatCount, formatDuration } from '../format/number.ts';
import { formatDateTimeMs } from '../format/time.ts';

export function RecordingView() {
  const { api, zone } = useApp();
  const feeds = useRequest('feeds.list', {});
  const status = useRequest('recording.status', {});
  const [feed, setFeed] = useState<string | null>(null);
  const [symbols, setSymbols] = useState('8');
  const [rate, setRate] = useState('200');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const now = useNow(1000);
  useEvent('recording.status', (s) => status.set(s));

  if ((feeds.loading && !feeds.data) || (status.loading && !status.data)) {
    return <Loading label="Loading feeds…" />;
  }
  if (!feeds.data) return <ErrorPanel error={feeds.error} onRetry={feeds.reload} />;
  if (!status.data) return <ErrorPanel error={status.error} onRetry={status.reload} />;
  const s = status.data;
  const feedList = feeds.data;
  const chosen = feed ?? feedList.find((f) => f.id === 'demo')?.id ?? feedList[0]?.id ?? '';

  const start = async () => {
    const n = Number(symbols);
    const r = Number(rate);
    if (!Number.isInteger(n) || n < 1 || n > 500)
      return setError('Symbols must be a whole number from 1 to 500.');
    if (!Number.isFinite(r) || r <= 0 || r > 1_000_000) {
      return setError('Rate must be a number above 0 and at most 1,000,000 ticks/s.');
    }
    setBusy(true);
    setError(null);
    try {
      status.set(await api.call('recording.start', { feed: chosen, symbols: n, ratePerSec: r }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const stop = async () => {
    setBusy(true);
    setError(null);
    try {
      status.set(await api.call('recording.stop', {}));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="recording-layout">
      <section className={`panel rec-status ${s.recording ? 'on' : 'off'}`} data-testid="recording-status">
        <h2>
          <span className={`dot ${s.recording ? 'on' : ''}`} aria-hidden="true" />
          {s.recording ? 'Recording' : 'Not recording'}
        </h2>
        {s.recording ? (
          <p>
            {(s.feeds?.length ?? 0) > 1 ? 'Feeds' : 'Feed'}{' '}
            <b>{(s.feeds?.length ? s.feeds : [s.feed]).join(', ')}</b> · {formatCount(s.symbols.length)}{' '}
            symbols · {formatCount(s.ratePerSec)} ticks/s
            {s.startedAtUs !== null && (
              <>
                {' '}
                · since {formatDateTimeMs(s.startedAtUs, zone)} (
                {formatDuration(Math.max(0, now * 1000 - s.startedAtUs) / 1_000_000)})
              </>
            )}
          </p>
        ) : (
          <p className="muted">Choose a feed and start recording; ticks go to the current storage backend.</p>
        )}
        {s.recording && s.symbols.length > 0 && <p className="mono small muted">{s.symbols.join('  ')}</p>}
      </section>
      <section className="panel">
        <form
          className="settings-form"
          onSubmit={(e) => {
            e.preventDefault();
            void (s.recording ? stop() : start());
          }}
        >
          <label>
            <span>Feed</span>
            <select
              value={chosen}
              onChange={(e) => setFeed(e.target.value)}
              disabled={s.recording || busy}
              data-testid="recording-feed"
            >
              {feedList.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
            </select>
          </label>
          <p className="muted small">{feedList.find((f) => f.id === chosen)?.description}</p>
          <label>
            <span>Symbols</span>
            <input
              type="number"
              min={1}
              max={500}
              value={s.recording ? String(s.symbols.length) : symbols}
              onChange={(e) => setSymbols(e.target.value)}
              disabled={s.recording || busy}
              data-testid="recording-symbols"
            />
          </label>
          <label>
            <span>Rate (ticks/s, all symbols)</span>
            <input
              type="number"
              min={1}
              max={1000000}
              value={s.recording ? String(s.ratePerSec) : rate}
              onChange={(e) => setRate(e.target.value)}
              disabled={s.recording || busy}
              data-testid="recording-rate"
            />
          </label>
          <div className="form-actions">
            {s.recording ? (
              <button type="submit" className="danger" disabled={busy} data-testid="recording-stop">
                {busy ? 'Stopping…' : 'Stop recording'}
              </button>
            ) : (
              <button
                type="submit"
                className="primary"
                disabled={busy || !chosen}
                data-testid="recording-start"
              >
                {busy ? 'Starting…' : 'Start recording'}
              </button>
            )}
            {error && <span className="form-error">{error}</span>}
          </div>
        </form>
      </section>
    </div>
  );
}
