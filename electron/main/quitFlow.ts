// Quitting drains the recorder first. If that takes longer than half a second, a small dialog
// says so, and closes itself when the data is on disk.
import { dialog } from 'electron';

export const SHOW_PROGRESS_AFTER_MS = 500;

export async function flushWithProgress(flush: () => Promise<void>, log: (m: string) => void): Promise<void> {
  const abort = new AbortController();
  const timer = setTimeout(() => {
    dialog
      .showMessageBox({
        type: 'info',
        title: 'Tickscope',
        message: 'Saving recorded ticks to disk…',
        detail: 'Tickscope quits as soon as every received tick is written.',
        buttons: [],
        signal: abort.signal,
      })
      .catch(() => undefined);
  }, SHOW_PROGRESS_AFTER_MS);
  const started = Date.now();
  try {
    await flush();
    log(`flushed and closed in ${Date.now() - started} ms`);
  } catch (err) {
    log(`flush on quit failed: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}
