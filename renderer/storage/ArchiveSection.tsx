// The Storage tab's archive and retention part: the days table, compaction, retention and the
// forecast, sharing one reload so that a compaction or a deletion shows everywhere at once.
import { useCallback } from 'react';
import type { StorageSettings } from '../../shared/catalog.ts';
import { utcDayKey } from '../../shared/time.ts';
import { useNow, useRequest } from '../app/hooks.ts';
import { ArchivePanel } from './ArchivePanel.tsx';
import { DaysTable } from './DaysTable.tsx';
import { ForecastPanel } from './ForecastPanel.tsx';
import { RetentionPanel } from './RetentionPanel.tsx';
import { useCompaction } from './useCompaction.ts';
import './storageArchive.css';

export function ArchiveSection({ settings }: { settings: StorageSettings }) {
  // Keyed by folder: moving the data folder lists the new folder's days.
  const days = useRequest('storage.days', {}, settings.dataDir);
  const forecast = useRequest('storage.forecast', {}, settings.dataDir);
  const reloadDays = days.reload;
  const reloadForecast = forecast.reload;
  const reload = useCallback(() => {
    reloadDays();
    reloadForecast();
  }, [reloadDays, reloadForecast]);
  const compaction = useCompaction(reload);
  // Today (UTC) is never compacted nor deleted; a minute's tick keeps it right across midnight.
  const todayKey = utcDayKey(useNow(60_000) * 1000);
  return (
    <>
      <section className="panel">
        <ArchivePanel compaction={compaction} compactAfterDays={settings.compactAfterDays} />
      </section>
      <section className="panel">
        <ForecastPanel forecast={forecast} />
      </section>
      <section className="panel wide">
        {/* Keyed by the settings, so saving new limits prefills them here too. */}
        <RetentionPanel
          key={`${settings.retentionDays}|${settings.retentionMaxBytes}`}
          retentionDays={settings.retentionDays}
          retentionMaxBytes={settings.retentionMaxBytes}
          onDeleted={reload}
        />
      </section>
      <section className="panel wide">
        <DaysTable
          days={days}
          todayKey={todayKey}
          compactBusy={compaction.busy}
          onCompact={(day) => void compaction.start({ days: [day] })}
        />
      </section>
    </>
  );
}
