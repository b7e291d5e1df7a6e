// The shell: tabs, the zone picker, the health pill, the connection banner, the global shortcuts,
// and the state shared by tabs (connection epoch, time zone, the stats history that feeds the
// Health tab). The tab and the zone live in the view state, so a reload comes back to them.
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { Health, StorageStats } from '../../shared/stats.ts';
import { FeedsView } from '../feeds/FeedsView.tsx';
import { HealthView } from '../health/HealthView.tsx';
import { StatsHistory } from '../health/statsHistory.ts';
import { HistoryView } from '../history/HistoryView.tsx';
import { LiveView } from '../live/LiveView.tsx';
import { MigrationWizard } from '../migration/MigrationWizard.tsx';
import { RecordingView } from '../recording/RecordingView.tsx';
import { StorageView } from '../storage/StorageView.tsx';
import type { Connection } from '../transport/createApi.ts';
import type { ConnectionState } from '../transport/connectionState.ts';
import { isUsable } from '../transport/connectionState.ts';
import { ConnectionBanner, TokenRefused } from './ConnectionBanner.tsx';
import type { AppContextValue } from './hooks.ts';
import { AppContext } from './hooks.ts';
import { useShortcut } from './keyboard.ts';
import { ShortcutHelp } from './ShortcutHelp.tsx';
import { useViewState } from './viewState.ts';
import type { Tab } from './viewStateCodec.ts';
import { TABS, tabFromHash } from './viewStateCodec.ts';
import { ZonePicker } from './ZonePicker.tsx';

const TAB_LABEL: Record<Tab, string> = {
  live: 'Live',
  history: 'History',
  feeds: 'Feeds',
  storage: 'Storage',
  health: 'Health',
  recording: 'Recording',
  migrate: 'Migrate',
};

/** Digit keys for the tabs, in tab order. */
const TAB_KEYS = TABS.slice(0, 9).map((_, i) => String(i + 1));

export function App({ connection }: { connection: Connection }) {
  const { api, isElectron } = connection;
  // The socket may open before the first effect runs, so the state is read as an external store.
  const connState: ConnectionState = useSyncExternalStore(connection.onState, connection.state);
  const [epoch, setEpoch] = useState(0);
  const [tabValue, setTab] = useViewState('tab');
  const tab = tabValue as Tab; // the view state only ever holds one of TABS
  const [zone, setZone] = useViewState('zone');
  const [helpOpen, setHelpOpen] = useState(false);
  const [stats, setStats] = useState<StorageStats | undefined>(undefined);
  const [health, setHealth] = useState<Health | undefined>(undefined);
  const [history] = useState(() => new StatsHistory(300));
  const [statsRevision, setStatsRevision] = useState(0);

  useEffect(() => {
    // Calls made while connecting are queued, so only a *re*-connection needs a refetch.
    let wasUsable = isUsable(connection.state());
    let lostSinceUsable = false;
    return connection.onState((s) => {
      const usable = isUsable(s);
      if (!usable && wasUsable) lostSinceUsable = true;
      if (usable && lostSinceUsable) {
        lostSinceUsable = false;
        setEpoch((e) => e + 1);
      }
      wasUsable = usable;
    });
  }, [connection]);

  useEffect(() => {
    // Links of the form `#history` still switch tabs; the view state then moves it to `?tab=`.
    const onHash = () => {
      const t = tabFromHash(window.location.hash);
      if (t) setTab(t);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [setTab]);

  useShortcut(
    {
      keys: TAB_KEYS,
      description: `Switch tab: ${TABS.map((t, i) => `${i + 1} ${TAB_LABEL[t]}`).join(', ')}`,
      group: 'Tabs',
    },
    (e) => setTab(TABS[Number(e.key) - 1]),
  );
  useShortcut({ keys: ['?'], description: 'Show or hide this list', group: 'Help' }, () =>
    setHelpOpen((open) => !open),
  );
  useShortcut({ keys: ['Escape'], description: 'Close this list', group: 'Help', enabled: helpOpen }, () =>
    setHelpOpen(false),
  );

  useEffect(() => {
    const offStats = api.on('storage.stats', (s) => {
      history.push(s, Date.now());
      setStats(s);
      setStatsRevision((r) => r + 1);
    });
    const offHealth = api.on('storage.health', setHealth);
    api.call('storage.stats', {}).then(
      (s) => setStats((prev) => prev ?? s),
      () => {},
    );
    api.call('storage.health', {}).then(
      (h) => setHealth((prev) => prev ?? h),
      () => {},
    );
    return () => {
      offStats();
      offHealth();
    };
  }, [api, history, epoch]);

  const ctx = useMemo<AppContextValue>(
    () => ({ api, isElectron, connection: connState, epoch, zone }),
    [api, isElectron, connState, epoch, zone],
  );

  // A health report from before the link dropped says nothing about now.
  const pillStatus = isUsable(connState) ? (health?.status ?? 'unknown') : 'offline';

  const go = (t: Tab) => setTab(t);
  const refused = connState.kind === 'unauthorized';

  return (
    <AppContext.Provider value={ctx}>
      <div className="app">
        <header className="topbar">
          <div className="brand">
            <span className="logo" aria-hidden="true" />
            Tickscope
          </div>
          <nav className="tabs" role="tablist">
            {TABS.map((t) => (
              <button
                key={t}
                type="button"
                role="tab"
                aria-selected={tab === t}
                className={tab === t ? 'active' : ''}
                onClick={() => go(t)}
                data-testid={`tab-${t}`}
              >
                {TAB_LABEL[t]}
              </button>
            ))}
          </nav>
          <div className="topbar-right">
            <ZonePicker zone={zone} onChange={setZone} />
            <button
              type="button"
              className={`health-pill status-${pillStatus}`}
              onClick={() => go('health')}
              title={health?.reasons.join('\n') || 'Storage health'}
              data-testid="health-status"
              data-status={pillStatus}
            >
              {pillStatus === 'unknown' ? '…' : pillStatus}
            </button>
          </div>
        </header>
        <ConnectionBanner state={connState} />
        <main className="content">
          {refused ? (
            <TokenRefused host={window.location.host} />
          ) : (
            <>
              {tab === 'live' && <LiveView onGoRecording={() => go('recording')} />}
              {tab === 'history' && <HistoryView />}
              {tab === 'feeds' && <FeedsView onGoRecording={() => go('recording')} />}
              {tab === 'storage' && <StorageView />}
              {tab === 'health' && (
                <HealthView stats={stats} health={health} history={history} revision={statsRevision} />
              )}
              {tab === 'recording' && <RecordingView />}
              {tab === 'migrate' && <MigrationWizard api={api} />}
            </>
          )}
        </main>
        {helpOpen && <ShortcutHelp onClose={() => setHelpOpen(false)} />}
      </div>
    </AppContext.Provider>
  );
}
