// Says plainly when the page cannot reach the engine, and why.
import type { ConnectionState } from '../transport/connectionState.ts';
import { useNow } from './hooks.ts';
import './app.css';

/** The banner over the views while the link is down or still opening. */
export function ConnectionBanner({ state }: { state: ConnectionState }) {
  const now = useNow(500);
  // A refused token is shown by TokenRefused in place of the views, which could not load anything.
  if (state.kind === 'ipc' || state.kind === 'open' || state.kind === 'unauthorized') return null;
  if (state.kind === 'connecting') {
    return state.attempt === 0 ? (
      <div className="banner info" role="status" data-testid="connection-banner" data-state="connecting">
        Connecting to the Tickscope server…
      </div>
    ) : (
      <div className="banner warn" role="status" data-testid="connection-banner" data-state="connecting">
        Reconnecting to the Tickscope server (attempt {state.attempt + 1})…
      </div>
    );
  }
  const secs = Math.max(0, Math.ceil((state.retryAtMs - now) / 1000));
  return (
    <div className="banner warn" role="alert" data-testid="connection-banner" data-state="disconnected">
      Disconnected from the Tickscope server ({state.reason}). Retrying in {secs}s… Data on screen may be
      stale.
    </div>
  );
}

/**
 * The server answers, but not to this page's token: `serve` makes a new token on every start, so
 * it was restarted. Only the URL it printed can reopen the page; its token is not shown here
 * (this page never knew the new one, and the old one is of no use).
 */
export function TokenRefused({ host }: { host: string }) {
  return (
    <div className="token-refused panel" role="alert" data-testid="token-refused">
      <h2>The Tickscope server restarted with a new access token</h2>
      <p>
        This page still holds the token of the previous start, which the server now refuses, so it can neither
        show nor change anything: what it showed before is not the server&apos;s current state.
      </p>
      <p>
        Open the URL the server printed when it started, the line{' '}
        <code className="mono">Tickscope is serving at http://{host}/?token=…</code> in its output.
      </p>
      <p className="muted small">
        The token changes on every start unless the server is started with <code>--token</code>.
      </p>
    </div>
  );
}
