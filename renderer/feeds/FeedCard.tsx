// One configured feed at a glance: its state and for how long, rates, last-message age,
// reconnects, latency, backpressure and last error, with start/stop/edit/remove.
import type { ReactNode } from 'react';
import { useState } from 'react';
import { defaultSource } from '../../shared/feeds/feedConfig.ts';
import type { FeedStatus } from '../../shared/feeds/feedStatus.ts';
import type { FeedEntry } from '../../shared/ipc/feedChannels.ts';
import { formatCount, formatMs, formatRate } from '../format/number.ts';
import { ageOf, formatLatencyUs, sinceOf, STATE_LABEL } from './feedFormat.ts';
import { KIND_LABEL } from './feedDraft.ts';

export interface FeedCardProps {
  entry: FeedEntry;
  running: boolean;
  /** The running status, or the last one seen before it stopped. */
  status: FeedStatus | undefined;
  stoppedAtMs: number | undefined;
  statusAtMs: number;
  nowMs: number;
  selected: boolean;
  busy: boolean;
  error: string | null;
  onSelect: () => void;
  onStart: () => void;
  onStop: () => void;
  onEdit: () => void;
  onRemove: () => void;
}

export function FeedCard(p: FeedCardProps) {
  const { entry, status: s, nowMs } = p;
  const c = entry.config;
  const id = c.id;
  const [confirmRemove, setConfirmRemove] = useState(false);
  const state = p.running && s ? s.state : 'stopped';
  const since = p.running && s ? sinceOf(s.stateSinceUs, nowMs) : undefined;
  // While down, attempts change the state every few seconds: say how long it has been down.
  const downFor = p.running && s && s.notLiveSinceUs !== null ? sinceOf(s.notLiveSinceUs, nowMs) : undefined;
  const stoppedFor =
    !p.running && p.stoppedAtMs !== undefined ? sinceOf(p.stoppedAtMs * 1000, nowMs) : undefined;
  // nextRetryInMs was true when the status was pushed; it counts down between pushes.
  const retryMs =
    p.running && s?.nextRetryInMs != null ? Math.max(0, s.nextRetryInMs - (nowMs - p.statusAtMs)) : null;
  const live = p.running ? s : undefined;

  return (
    <article
      className={`panel feed-card state-${state} ${p.selected ? 'selected' : ''}`}
      data-testid={`feed-card-${id}`}
      data-running={String(p.running)}
      onClick={p.onSelect}
    >
      <header className="feed-card-head">
        <span className="feed-id">{id}</span>
        <span className={`feed-state state-${state}`} data-testid={`feed-state-${id}`} data-state={state}>
          {STATE_LABEL[state]}
          {downFor ? (
            <span className="muted" data-testid={`feed-down-${id}`}>
              {' '}
              · not live for {downFor}
            </span>
          ) : (
            since && <span className="muted"> for {since}</span>
          )}
          {stoppedFor && <span className="muted"> for {stoppedFor}</span>}
        </span>
        {!c.enabled && <span className="badge">disabled</span>}
        {live?.paused && (
          <span
            className="badge warn"
            data-testid={`feed-paused-${id}`}
            title="The engine asked producers to wait"
          >
            paused by backpressure
          </span>
        )}
        <span className="feed-card-actions" onClick={(e) => e.stopPropagation()}>
          {p.running ? (
            <button type="button" disabled={p.busy} onClick={p.onStop} data-testid={`feed-stop-${id}`}>
              Stop
            </button>
          ) : (
            <button
              type="button"
              className="primary"
              disabled={p.busy}
              onClick={p.onStart}
              data-testid={`feed-start-${id}`}
            >
              Start
            </button>
          )}
          <button type="button" onClick={p.onEdit} data-testid={`feed-edit-${id}`}>
            Edit
          </button>
          {confirmRemove ? (
            <>
              <button
                type="button"
                className="danger"
                disabled={p.busy}
                onClick={() => {
                  setConfirmRemove(false);
                  p.onRemove();
                }}
                data-testid={`feed-remove-confirm-${id}`}
              >
                Remove {id}
              </button>
              <button type="button" onClick={() => setConfirmRemove(false)}>
                Keep
              </button>
            </>
          ) : (
            <button type="button" onClick={() => setConfirmRemove(true)} data-testid={`feed-remove-${id}`}>
              Remove
            </button>
          )}
        </span>
      </header>
      <div className="muted small feed-card-sub">
        {KIND_LABEL[c.kind]} · source <span className="mono">{s?.source ?? defaultSource(c)}</span>
        {s?.endpoint && (
          <>
            {' '}
            · <span className="mono">{s.endpoint}</span>
          </>
        )}
        {c.kind === 'fix' && entry.secretsSet.password && <> · password set</>}
      </div>
      <dl className="feed-stats">
        <Stat label="Ticks/s" testId={`feed-ticks-per-sec-${id}`} value={live?.ticksPerSec}>
          {live ? formatRate(live.ticksPerSec) : '—'}
        </Stat>
        <Stat label="Messages/s" testId={`feed-messages-per-sec-${id}`} value={live?.messagesPerSec}>
          {live ? formatRate(live.messagesPerSec) : '—'}
        </Stat>
        <Stat label="Last message" testId={`feed-last-message-${id}`}>
          {s ? ageOf(s.lastMessageUs, nowMs) : '—'}
        </Stat>
        <Stat label="Reconnects" testId={`feed-reconnects-${id}`} value={s?.reconnects}>
          {s ? formatCount(s.reconnects) : '—'}
          {retryMs !== null && <span className="muted"> · retry in {formatMs(retryMs)}</span>}
        </Stat>
        <Stat label="Latency p50 / p99" testId={`feed-latency-${id}`}>
          {s?.latency ? `${formatLatencyUs(s.latency.p50Us)} / ${formatLatencyUs(s.latency.p99Us)}` : '—'}
        </Stat>
        <Stat label="Ticks" testId={`feed-ticks-${id}`} value={s?.ticks}>
          {s ? formatCount(s.ticks) : '—'}
        </Stat>
        {s && s.connections > 1 && (
          <Stat label="Connections" testId={`feed-connections-${id}`}>
            {s.connectionsLive} / {s.connections} live
          </Stat>
        )}
        {s && s.pausedMs > 0 && (
          <Stat label="Paused total" testId={`feed-paused-ms-${id}`}>
            {formatMs(s.pausedMs)}
          </Stat>
        )}
      </dl>
      {s?.lastError && (
        <p className="feed-error mono small" data-testid={`feed-last-error-${id}`}>
          <span className="muted">last error: </span>
          {s.lastError}
        </p>
      )}
      {p.error && (
        <p className="form-error small" role="alert" data-testid={`feed-action-error-${id}`}>
          {p.error}
        </p>
      )}
    </article>
  );
}

function Stat({
  label,
  testId,
  value,
  children,
}: {
  label: string;
  testId: string;
  /** The raw number, for tests and tooling. */
  value?: number;
  children: ReactNode;
}) {
  return (
    <div>
      <dt>{label}</dt>
      <dd className="mono" data-testid={testId} data-value={value === undefined ? '' : String(value)}>
        {children}
      </dd>
    </div>
  );
}
