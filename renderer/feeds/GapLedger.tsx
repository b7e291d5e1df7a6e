// The gap ledger: what happened to each feed's connection and symbols over the last 24 hours,
// newest first. Fetched once per (re)connection, then kept current by `feeds.event` pushes.
import { useEffect, useState } from 'react';
import type { FeedEvent } from '../../shared/feeds/feedEvents.ts';
import { ErrorPanel } from '../app/Panels.tsx';
import { errorText, useApp, useEvent } from '../app/hooks.ts';
import type { TimeZoneMode } from '../format/time.ts';
import { formatDateTimeMs } from '../format/time.ts';
import { formatGapUs } from './feedFormat.ts';
import { FeedLedger, LEDGER_MAX_ROWS, LEDGER_WINDOW_US } from './feedLedger.ts';

/** Rows drawn at once; the ledger keeps more. */
const SHOWN_ROWS = 300;

export function GapLedger({ feedIds, nowMs }: { feedIds: string[]; nowMs: number }) {
  const { api, epoch, zone } = useApp();
  const [ledger] = useState(() => new FeedLedger());
  const [, setRevision] = useState(0);
  const [feed, setFeed] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEvent('feeds.event', (p) => {
    if (ledger.add(p.events)) setRevision(ledger.revision);
  });
  useEffect(() => {
    let live = true;
    const toUs = Date.now() * 1000;
    // A minute of slack on the right: the recorder's clock may run a little ahead of this one.
    api
      .call('feeds.events', {
        fromUs: toUs - LEDGER_WINDOW_US,
        toUs: toUs + 60_000_000,
        limit: LEDGER_MAX_ROWS,
      })
      .then(
        (events) => {
          if (!live) return;
          setError(null);
          if (ledger.add(events)) setRevision(ledger.revision);
        },
        (err: unknown) => {
          if (live) setError(errorText(err));
        },
      );
    return () => {
      live = false;
    };
  }, [api, epoch, ledger]);

  const rows = ledger.list(nowMs * 1000, feed);
  return (
    <div className="gap-ledger">
      <div className="panel-head">
        <h2>Gap ledger</h2>
        <span className="muted small">last 24 h · {rows.length} entries · newest first</span>
        <label className="inline-label">
          <span className="muted small">Feed</span>
          <select
            value={feed ?? ''}
            onChange={(e) => setFeed(e.target.value === '' ? null : e.target.value)}
            data-testid="gap-ledger-feed"
          >
            <option value="">All feeds</option>
            {feedIds.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && <ErrorPanel error={error} />}
      {rows.length === 0 && !error ? (
        <p className="muted small">Nothing happened to any feed in the last 24 hours.</p>
      ) : (
        <div className="table-scroll ledger-scroll">
          <table className="grid" data-testid="gap-ledger">
            <thead>
              <tr>
                <th>Time ({zone.toUpperCase()})</th>
                <th>Feed</th>
                <th>Kind</th>
                <th>Symbol</th>
                <th className="num">From seq</th>
                <th className="num">To seq</th>
                <th className="num">Duration</th>
                <th className="num">Code</th>
                <th>Reason</th>
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, SHOWN_ROWS).map((e, i) => (
                <LedgerRow key={`${e.tsUs}-${i}`} e={e} zone={zone} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function LedgerRow({ e, zone }: { e: FeedEvent; zone: TimeZoneMode }) {
  return (
    <tr
      data-testid="gap-row"
      data-kind={e.kind}
      data-feed={e.feed}
      data-gap-us={e.sinceUs !== null ? e.tsUs - e.sinceUs : ''}
      className={`ledger-${e.kind}`}
    >
      <td className="mono">{formatDateTimeMs(e.tsUs, zone)}</td>
      <td className="mono">{e.feed}</td>
      <td className={`kind kind-${e.kind}`}>{e.kind.replace('_', ' ')}</td>
      <td className="mono">{e.symbol ?? ''}</td>
      <td className="num mono">{e.fromSeq ?? ''}</td>
      <td className="num mono">{e.toSeq ?? ''}</td>
      <td className="num mono">{e.sinceUs !== null ? formatGapUs(e.tsUs - e.sinceUs) : ''}</td>
      <td className="num mono">{e.code ?? ''}</td>
      <td className="path">{e.reason}</td>
    </tr>
  );
}
