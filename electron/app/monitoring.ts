// What the desktop app offers a desk's monitoring, switched on by the environment (the app has no
// command line to speak of): TICKSCOPE_METRICS_PORT serves /metrics on 127.0.0.1 at that port,
// TICKSCOPE_HEALTH_WEBHOOK posts health changes. A bad value or a taken port is logged and
// skipped: monitoring must never keep the recorder from starting.
import path from 'node:path';
import { watchHealth, webhookUrlProblem } from './healthWebhook.ts';
import type { HealthWebhook } from './healthWebhook.ts';
import { METRICS_TOKEN_FILE, startMetricsServer } from './metrics/metricsServer.ts';
import type { MetricsServer } from './metrics/metricsServer.ts';
import type { TickscopeService } from './tickscopeService.ts';

export const METRICS_PORT_ENV = 'TICKSCOPE_METRICS_PORT';
export const HEALTH_WEBHOOK_ENV = 'TICKSCOPE_HEALTH_WEBHOOK';

export interface MonitoringOptions {
  environment: Readonly<Record<string, string | undefined>>;
  service: TickscopeService;
  /** Where the metrics token file is written. */
  dataDir: string;
  log: (message: string) => void;
}

export interface Monitoring {
  metrics: MetricsServer | null;
  webhook: HealthWebhook | null;
  close(): Promise<void>;
}

export async function startMonitoring(o: MonitoringOptions): Promise<Monitoring> {
  const metrics = await startMetrics(o);
  const hookUrl = o.environment[HEALTH_WEBHOOK_ENV]?.trim() ?? '';
  let webhook: HealthWebhook | null = null;
  if (hookUrl !== '') {
    const problem = webhookUrlProblem(hookUrl);
    if (problem) o.log(`${HEALTH_WEBHOOK_ENV} ignored: ${problem}`);
    else webhook = watchHealth(o.service, { url: hookUrl, log: o.log });
  }
  return {
    metrics,
    webhook,
    async close() {
      webhook?.close();
      await metrics?.close();
    },
  };
}

async function startMetrics(o: MonitoringOptions): Promise<MetricsServer | null> {
  const raw = o.environment[METRICS_PORT_ENV]?.trim() ?? '';
  if (raw === '') return null;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) {
    o.log(`${METRICS_PORT_ENV} ignored: ${JSON.stringify(raw)} is not a port (0-65535)`);
    return null;
  }
  const tokenFile = path.join(o.dataDir, METRICS_TOKEN_FILE);
  try {
    const server = await startMetricsServer({ service: o.service, port: Number(raw), tokenFile });
    o.log(`metrics at ${server.url} (token in ${tokenFile})`);
    return server;
  } catch (err) {
    o.log(`metrics not served on 127.0.0.1:${raw}: ${(err as Error).message}`);
    return null;
  }
}
