// Live tab: the watchlist fed by `live.quotes`, and the tick chart of the selected symbol.
import { useState } from 'react';
import { Empty } from '../app/Panels.tsx';
import { useApp, useEvent, useNow, useRequest } from '../app/hooks.ts';
import { useSourceFilter } from '../charts/SourceControls.tsx';
import { LiveChart } from './LiveChart.tsx';
import { Watchlist } from './Watchlist.tsx';
import { WatchlistModel } from './watchlistModel.ts';

export function LiveView({ onGoRecording }: { onGoRecording: () => void }) {
  const { connection } = useApp();
  const [model] = useState(() => new WatchlistModel());
  const [, setRevision] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const now = useNow(250);
  const recording = useRequest('recording.status', {});
  const [source, setSource] = useSourceFilter('live');

  useEvent('live.quotes', (p) => {
    model.apply(p.quotes, Date.now());
    setRevision(model.revision);
  });
  useEvent('recording.status', (s) => recording.set(s));

  const rows = model.list();
  const active = selected ?? null;
  const waiting = connection.kind === 'connecting' || connection.kind === 'disconnected';

  return (
    <div className="live-layout">
      <aside className="panel watch-panel">
        <div className="panel-head">
          <h2>Watchlist</h2>
          <span className="muted">{rows.length} symbols</span>
        </div>
        {rows.length === 0 ? (
          <Empty title={waiting ? 'Waiting for the engine…' : 'No live quotes'}>
            {recording.data?.recording ? (
              'Recording is on; quotes will appear with the first ticks.'
            ) : (
              <>
                Nothing is being recorded.{' '}
                <button type="button" className="link" onClick={onGoRecording}>
                  Start a recording
                </button>
              </>
            )}
          </Empty>
        ) : (
          <Watchlist rows={rows} nowMs={now} selected={active} onSelect={setSelected} />
        )}
      </aside>
      <section className="panel chart-section">
        {active ? (
          <LiveChart
            key={active}
            symbol={active}
            source={source}
            onSource={setSource}
            knownSources={model.get(active)?.sources ?? []}
            onSourcesSeen={(sym, list) => {
              if (model.addSources(sym, list)) setRevision(model.revision);
            }}
          />
        ) : (
          <Empty title="Select a symbol">
            Click a row of the watchlist to chart its bid and ask tick by tick.
          </Empty>
        )}
      </section>
    </div>
  );
}
