// Says plainly when the page cannot reach the engine, and why.
import type { ConnectionState } from '../transport/connectionState.ts';
import { useNow } from './hooks.ts';

export function ConnectionBanner({ state }: { state: ConnectionState }) {
  const now = useNow(500);
  if (state.kind === 'ipc' || state.kind === 'open') return null;
  if (state.kind === 'unauthorized') {
    return (
      <div className="banner bad" role="alert" data-testid="connection-banner" data-state="unauthorized">
        {state.tokenPresent
          ? 'The server refused this page’s access token. Open the exact URL the server printed (it changes on every start).'
          : 'This page has no access token. Open the URL the server printed, including its ?token=… part.'}
      </div>
    );
  }
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
