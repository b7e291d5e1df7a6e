// How long the disk and the size budget last at the recent rate (storage.forecast).
import type { StorageForecast } from '../../shared/archive.ts';
import { ErrorPanel, Loading } from '../app/Panels.tsx';
import type { RequestState } from '../app/hooks.ts';
import { formatBytes } from '../format/number.ts';
import { forecastWords } from './storageFigures.ts';

export function ForecastPanel({ forecast }: { forecast: RequestState<StorageForecast> }) {
  const f = forecast.data;
  return (
    <div className="forecast-panel" data-testid="storage-forecast">
      <div className="panel-head">
        <h2>Disk use forecast</h2>
        <button type="button" onClick={forecast.reload} disabled={forecast.loading}>
          Refresh
        </button>
      </div>
      {forecast.error && <ErrorPanel error={forecast.error} onRetry={forecast.reload} />}
      {!forecast.error && !f && <Loading label="Measuring disk use…" />}
      {f && <ForecastFigures f={f} />}
    </div>
  );
}

function ForecastFigures({ f }: { f: StorageForecast }) {
  const words = forecastWords(f);
  const rows: [string, string, string][] = [
    ['used', 'Used (day and JSON files)', formatBytes(f.usedBytes)],
    ['free', 'Free on the disk', f.freeBytes === null ? 'unknown' : formatBytes(f.freeBytes)],
    ['budget', 'Size budget', f.budgetBytes === null ? 'none' : formatBytes(f.budgetBytes)],
    ['rate', 'Recent rate', f.bytesPerDay === null ? 'unknown' : `${formatBytes(f.bytesPerDay)} a day`],
  ];
  return (
    <>
      <dl className="forecast-figures">
        {rows.map(([id, label, value]) => (
          <div key={id}>
            <dt className="muted">{label}</dt>
            <dd className="mono" data-testid={`forecast-${id}`}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
      <p className="forecast-line" data-testid="forecast-budget-days">
        {words.budget}
      </p>
      <p className="forecast-line" data-testid="forecast-disk-days">
        {words.disk}
      </p>
      <p className="muted small">
        The rate is the mean size of the last 7 days' files (today extrapolated to a whole day when there are
        none); archived days count at their compacted size.
      </p>
    </>
  );
}
