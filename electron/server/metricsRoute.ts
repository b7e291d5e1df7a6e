// GET /metrics on the headless server: Prometheus scrapes it with the server's token, as an
// `Authorization: Bearer` header (Prometheus' `authorization` setting) or a `?token=` query. No
// cookie is set: a scraper is not a browser session.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { METRICS_PATH, answerMetrics, refuseMetrics } from '../app/metrics/metricsResponse.ts';
import type { MetricsSource } from '../app/metrics/metricsResponse.ts';
import type { AccessPolicy } from './accessControl.ts';
import { authenticate } from './accessControl.ts';

export { METRICS_PATH };

/** Answers the request; the caller has checked the Host header already. */
export function serveMetrics(
  p: AccessPolicy,
  service: MetricsSource,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): void {
  if (!authenticate(p, req, url)) {
    return refuseMetrics(res, 'send the server token as `Authorization: Bearer <token>` or ?token=<token>');
  }
  answerMetrics(service, req.method, res);
}
