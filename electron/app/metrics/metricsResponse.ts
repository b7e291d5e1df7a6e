// One scrape: the service's numbers at this moment, answered as Prometheus text. The headless
// server's route and the app's loopback endpoint both answer with this once they have checked
// who is asking.
import type { ServerResponse } from 'node:http';
import type { TickscopeService } from '../tickscopeService.ts';
import { PROMETHEUS_CONTENT_TYPE, renderPrometheusText } from './prometheusText.ts';

export const METRICS_PATH = '/metrics';

export type MetricsSource = Pick<TickscopeService, 'store' | 'feeds' | 'health'>;

export function metricsText(service: MetricsSource): string {
  return renderPrometheusText({
    stats: service.store().getStorageStats(),
    feeds: service.feeds.status(),
    health: service.health(),
  });
}

export function answerMetrics(service: MetricsSource, method: string | undefined, res: ServerResponse): void {
  if (method !== 'GET' && method !== 'HEAD') {
    res.statusCode = 405;
    res.setHeader('Allow', 'GET, HEAD');
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end('method not allowed\n');
    return;
  }
  const body = metricsText(service);
  res.statusCode = 200;
  res.setHeader('Content-Type', PROMETHEUS_CONTENT_TYPE);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(method === 'HEAD' ? undefined : body);
}

/** A 401 that tells a scraper how to authenticate. */
export function refuseMetrics(res: ServerResponse, hint: string): void {
  res.statusCode = 401;
  res.setHeader('WWW-Authenticate', 'Bearer realm="tickscope metrics"');
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(`unauthorized: ${hint}\n`);
}
