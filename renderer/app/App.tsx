// The shell: tabs, the health pill, the connection banner, and the state shared by tabs
// (connection epoch, time zone, the stats history that feeds the Health tab).
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { Health, StorageStats } from '../../shared/stats.ts';
import { FeedsView } from '../feeds/FeedsView.tsx';
import type { TimeZoneMode } from '../format/time.ts';
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
import { ConnectionBanner } from './ConnectionBanner.tsx';
import type { AppContextValue } from './hooks.ts';
import { AppContext } from './hooks.ts';

const TABS = ['live', 'history', 'feeds', 'storage', 'health', 'recording', 'migrate'] as const;
type Tab = (typeof TABS)[number];
const TAB_LABEL: Record<Tab, string> = {
  live: 'Live',
  history: 'History',
  feeds: 'Feeds',
  storage: 'Storage',
  health: 'Health',
  recording: 'Recording',
  migrate: 'Migrate',
};

function tabFromHash(): Tab {
  const h = window.location.hash.replace(/^#/, '');
  return (TABS as readonly string[]).includes(h) ? (h as Tab) : 'live';
}

function savedZone(): TimeZoneMode {
  try {
    return window.localStorage.getItem('tickscope.zone') === 'local' ? 'local' : 'utc';
  } catch {
    return 'utc';
  }
}

export function App({ connection }: { connection: Connection }) {
  const { api, isElectron } = connection;
  // The socket may open before the first effect runs, so the state is read as an external store.
  const connState: ConnectionState = useSyncExternalStore(connection.onState, connection.state);
  const [epoch, setEpoch] = useState(0);
  const [tab, setTab] = useState<Tab>(tabFromHash);
  const [zone, setZone] = useState<TimeZoneMode>(savedZone);
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
    const onHash = () => setTab(tabFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

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

  const go = (t: Tab) => {
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#${t}`);
    setTab(t);
  };
  const toggleZone = () => {
    const next = zone === 'utc' ? 'local' : 'utc';
    setZone(next);
    try {
      window.localStorage.setItem('tickscope.zone', next);
    } catch {
      // Storage may be disabled; the toggle still works for this page.
    }
  };

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
            <button
              type="button"
              className="zone-toggle"
              onClick={toggleZone}
              title="Show times in UTC or in this computer's time zone"
              data-testid="zone-toggle"
              data-zone={zone}
            >
              {zone === 'utc' ? 'UTC' : 'Local'}
            </button>
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
          {tab === 'live' && <LiveView onGoRecording={() => go('recording')} />}
          {tab === 'history' && <HistoryView />}
          {tab === 'feeds' && <FeedsView onGoRecording={() => go('recording')} />}
          {tab === 'storage' && <StorageView />}
          {tab === 'health' && (
            <HealthView stats={stats} health={health} history={history} revision={statsRevision} />
          )}
          {tab === 'recording' && <RecordingView />}
          {tab === 'migrate' && <MigrationWizard api={api} />}
        </main>
      </div>
    </AppContext.Provider>
  );
}
