// Says plainly which part of a History range lives only in JSON files: ticks recorded while the
// backend was JSON-only are not in the SQLite day files History reads, until migrated.
import { useApp, useNow, useRequest } from '../app/hooks.ts';
import { formatCount } from '../format/number.ts';
import { formatDateTimeMs } from '../format/time.ts';
import { jsonOnlyOverlaps } from '../storage/jsonOnlyPeriods.ts';
import './jsonOnlyNotice.css';

/** How often the periods are asked for again (an open one grows; the backend may be switched). */
const REFRESH_MS = 30_000;

export function JsonOnlyNotice({ fromUs, toUs }: { fromUs: number; toUs: number }) {
  const { zone } = useApp();
  const nowMs = useNow(REFRESH_MS);
  const periods = useRequest('storage.jsonOnlyPeriods', {}, String(nowMs));
  const hits = jsonOnlyOverlaps(periods.data ?? [], fromUs, toUs, nowMs * 1000);
  if (hits.length === 0) return null;
  return (
    <div className="json-only-notice" role="status" data-testid="json-only-notice" data-periods={hits.length}>
      {hits.map((h) => (
        <p key={h.fromUs} data-testid="json-only-period" data-from-us={h.fromUs} data-ticks={h.ticks}>
          {`Ticks from ${formatDateTimeMs(h.fromUs, zone)} to ${h.open ? 'now' : formatDateTimeMs(h.toUs, zone)} ` +
            `(${formatCount(h.ticks)} ticks) ${h.open ? 'are being' : 'were'} recorded while the backend was ` +
            'JSON-only and live only in JSON files; migrate them into SQLite (Migrate tab) for History to show them.'}
        </p>
      ))}
    </div>
  );
}
