// Electron's before-quit is synchronous: to flush first, the first quit is cancelled, the quit
// flow runs (quitFlow.ts), and then the app quits for real. Any number of quit requests (menu,
// tray, Cmd+Q, a second before-quit during the flush) start one flush and end in one quit.
import { withDeadline } from '../engine/lifecycle/withDeadline.ts';
import type { StopResult } from '../engine/tickStoreApi.ts';
import type { Preventable } from './contentsGuard.ts';
import { runQuitFlow } from './quitFlow.ts';
import type { QuitFlowDeps, QuitOutcome } from './quitFlow.ts';

export interface QuitControllerDeps extends Omit<QuitFlowDeps, 'close'> {
  /** Stops whatever must be flushed, or resolves null when nothing was started. */
  close(): Promise<StopResult | null>;
  /** app.quit(): called once the flush is over, when before-quit lets it through. */
  quit(): void;
  /** Waits for the log to reach disk; bounded by the controller. */
  drainLog(): Promise<void>;
  /** How long the log may hold the quit after the flush. */
  logDrainMs?: number;
}

export interface QuitController {
  /** The app's before-quit listener. */
  beforeQuit(event: Preventable): void;
  /** True from the first quit request on: closing the window then closes it for real. */
  quitting(): boolean;
  /** Resolves with the quit flow's outcome once the app has been told to quit. */
  done(): Promise<QuitOutcome | null>;
}

/** A stop with nothing to stop: the service never started. */
const NOTHING_STARTED: StopResult = {
  clean: true,
  timedOut: false,
  pendingInJournal: 0,
  lost: 0,
  lostByReason: {},
  problems: [],
};

export function createQuitController(d: QuitControllerDeps): QuitController {
  let quitting = false;
  let flushed = false;
  let flow: Promise<QuitOutcome | null> | null = null;

  async function flushThenQuit(): Promise<QuitOutcome> {
    const outcome = await runQuitFlow({
      ...d,
      close: async () => (await d.close()) ?? NOTHING_STARTED,
    });
    // The log is worth a moment, not a hang.
    await withDeadline(
      d.drainLog().catch(() => undefined),
      d.logDrainMs ?? 1000,
      undefined,
      d,
    );
    flushed = true;
    d.quit();
    return outcome;
  }

  return {
    beforeQuit(event) {
      quitting = true;
      if (flushed) return;
      event.preventDefault();
      flow ??= flushThenQuit();
    },
    quitting: () => quitting,
    done: () => flow ?? Promise.resolve(null),
  };
}
