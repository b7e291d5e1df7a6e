// A desktop notification when storage health turns critical (once per episode), since the
// window may be closed while recording continues in the tray.
import type { Health, HealthStatus } from '../../shared/stats.ts';

/** Electron's Notification, reduced to what is shown. */
export interface DesktopNotifier {
  isSupported(): boolean;
  show(notice: { title: string; body: string }): void;
}

export const CRITICAL_TITLE = 'Tickscope: storage needs attention';

export function createHealthNotifier(
  notifier: DesktopNotifier,
  log: (m: string) => void,
): (health: Health) => void {
  let last: HealthStatus = 'ok';
  return (health) => {
    const was = last;
    last = health.status;
    if (health.status !== 'critical' || was === 'critical') return;
    log(`storage health critical: ${health.reasons.join('; ')}`);
    if (!notifier.isSupported()) return;
    notifier.show({
      title: CRITICAL_TITLE,
      body: health.reasons.join('\n') || 'Storage health is critical.',
    });
  };
}
