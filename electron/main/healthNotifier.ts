// A desktop notification when storage health turns critical (once per episode), since the
// window may be closed while recording continues in the tray.
import { Notification } from 'electron';
import type { Health, HealthStatus } from '../../shared/stats.ts';

export function createHealthNotifier(log: (m: string) => void): (health: Health) => void {
  let last: HealthStatus = 'ok';
  return (health) => {
    const was = last;
    last = health.status;
    if (health.status !== 'critical' || was === 'critical') return;
    log(`storage health critical: ${health.reasons.join('; ')}`);
    if (!Notification.isSupported()) return;
    new Notification({
      title: 'Tickscope: storage needs attention',
      body: health.reasons.join('\n') || 'Storage health is critical.',
    }).show();
  };
}
