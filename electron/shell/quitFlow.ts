// Quitting drains the recorder first, but never hangs: if closing takes more than a second, a
// dialog says so and offers "Quit anyway"; past an overall deadline the app quits regardless.
// The engine's own stop deadline (10 s) comes first: then it terminates its workers and writes
// what is left to its spill journal, so the deadline here only catches a close that never
// settles at all. No Electron here: main.ts passes dialog.showMessageBox and the timers.
import type { MessageBoxOptions } from 'electron';
import type { StopResult } from '../engine/tickStoreApi.ts';

export interface QuitTimings {
  /** A close that settles sooner shows no dialog at all. */
  progressAfterMs: number;
  /** Quit at this point even if close() has not settled. */
  deadlineMs: number;
  /** The final notice (ticks lost or pending) closes itself after this long. */
  noticeMs: number;
}

export const DEFAULT_QUIT_TIMINGS: QuitTimings = {
  progressAfterMs: 1000,
  deadlineMs: 15_000,
  noticeMs: 10_000,
};

/** The index of the "Quit anyway" button in the progress dialog. */
export const QUIT_ANYWAY_BUTTON = 0;

export interface QuitFlowDeps {
  /** Stops the recorder and closes the store; says what it could not make durable. */
  close(): Promise<StopResult>;
  /**
   * dialog.showMessageBox. Resolves with the pressed button, or once `signal` aborts. Returns
   * null when no dialog can be shown without blocking main (see dialogTarget).
   */
  showMessageBox(options: MessageBoxOptions): Promise<{ response: number }> | null;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
  log(message: string): void;
  timings?: Partial<QuitTimings>;
}

export type QuitOutcome =
  | { kind: 'closed'; result: StopResult; ms: number }
  | { kind: 'failed'; message: string; ms: number }
  | { kind: 'quit_anyway'; ms: number }
  | { kind: 'deadline'; ms: number };

type Settled = { ok: true; result: StopResult } | { ok: false; message: string };

/** Runs the quit: resolves when the app should quit now. Never rejects. */
export async function runQuitFlow(d: QuitFlowDeps): Promise<QuitOutcome> {
  const t = { ...DEFAULT_QUIT_TIMINGS, ...d.timings };
  const started = d.now();
  const elapsed = () => d.now() - started;

  let closing: Promise<Settled>;
  try {
    closing = d.close().then(
      (result): Settled => ({ ok: true, result }),
      (err: unknown): Settled => ({ ok: false, message: messageOf(err) }),
    );
  } catch (err) {
    closing = Promise.resolve({ ok: false, message: messageOf(err) });
  }

  const progress = new AbortController();
  const timers: unknown[] = [];
  const givenUp = new Promise<'quit_anyway' | 'deadline'>((resolve) => {
    timers.push(d.setTimeout(() => resolve('deadline'), t.deadlineMs));
    timers.push(
      d.setTimeout(() => {
        const shown = show(d, progressDialog(progress.signal));
        if (!shown) {
          d.log('quit: still saving; no progress dialog can be shown here, waiting up to the deadline');
          return;
        }
        void shown.then((r) => {
          // An aborted dialog resolves too (as if cancelled): that is us closing it, not the user.
          if (progress.signal.aborted || r === null) return;
          if (r.response === QUIT_ANYWAY_BUTTON) resolve('quit_anyway');
          else d.log('quit: progress dialog dismissed; still waiting for the store');
        });
      }, t.progressAfterMs),
    );
  });

  const first = await Promise.race([closing, givenUp]);
  for (const h of timers) d.clearTimeout(h);
  progress.abort();

  if (first === 'quit_anyway' || first === 'deadline') {
    const ms = elapsed();
    d.log(
      first === 'quit_anyway'
        ? `quit: "Quit anyway" after ${ms} ms; ticks the store had not written yet may be lost`
        : `quit: the store did not close within ${t.deadlineMs} ms; quitting without it`,
    );
    return { kind: first, ms };
  }

  const ms = elapsed();
  if (!first.ok) {
    d.log(`quit: closing the store failed after ${ms} ms: ${first.message}`);
    await notice(d, t.noticeMs, {
      type: 'error',
      message: 'Tickscope could not finish saving ticks',
      detail: `${first.message}\n\nThe log has the details.`,
    });
    return { kind: 'failed', message: first.message, ms };
  }

  const r = first.result;
  const summary = describeStop(r);
  d.log(`quit: store closed in ${ms} ms; ${summary ?? 'every tick is on disk'}`);
  if (summary) {
    await notice(d, t.noticeMs, {
      type: r.lost > 0 ? 'warning' : 'info',
      message: r.lost > 0 ? 'Some ticks were lost on quit' : 'Some ticks are waiting in the spill journal',
      detail: [summary, ...r.problems].join('\n'),
    });
  }
  return { kind: 'closed', result: r, ms };
}

/** One line on what the stop could not make durable, or null when it was clean. */
export function describeStop(r: StopResult): string | null {
  const parts: string[] = [];
  if (r.lost > 0) {
    const reasons = Object.entries(r.lostByReason)
      .filter(([, n]) => n > 0)
      .map(([reason, n]) => `${reason}: ${n}`)
      .join(', ');
    parts.push(`${r.lost} ticks lost${reasons ? ` (${reasons})` : ''}`);
  }
  if (r.pendingInJournal > 0) {
    parts.push(`${r.pendingInJournal} ticks wait in the spill journal and are written at the next start`);
  }
  if (r.timedOut) parts.push('the store hit its stop deadline and terminated its workers');
  if (parts.length === 0 && !r.clean) parts.push('the store did not stop cleanly');
  return parts.length === 0 ? null : parts.join('; ');
}

function progressDialog(signal: AbortSignal): MessageBoxOptions {
  return {
    type: 'info',
    title: 'Tickscope',
    message: 'Saving recorded ticks to disk…',
    detail:
      'Tickscope quits as soon as every received tick is written. Quit anyway stops waiting: ticks not yet written may be lost.',
    buttons: ['Quit anyway'],
    defaultId: QUIT_ANYWAY_BUTTON,
    // Escape or the window's close button: keep waiting rather than lose data by accident.
    cancelId: 1,
    noLink: true,
    signal,
  };
}

/** A short final notice; it closes itself after `ms`, so it cannot hold the quit forever. */
async function notice(
  d: QuitFlowDeps,
  ms: number,
  o: Pick<MessageBoxOptions, 'type' | 'message' | 'detail'>,
): Promise<void> {
  const abort = new AbortController();
  let timer: unknown;
  const timeUp = new Promise<void>((resolve) => {
    timer = d.setTimeout(resolve, ms);
  });
  const shown = show(d, { ...o, title: 'Tickscope', buttons: ['OK'], noLink: true, signal: abort.signal });
  // A dialog that ignores its signal still cannot keep us here: the timer wins the race.
  if (shown) await Promise.race([shown, timeUp]);
  d.clearTimeout(timer);
  abort.abort();
}

/** showMessageBox that never throws or rejects: a broken dialog must not break the quit. */
function show(d: QuitFlowDeps, o: MessageBoxOptions): Promise<{ response: number } | null> | null {
  let shown: Promise<{ response: number }> | null;
  try {
    shown = d.showMessageBox(o);
  } catch (err) {
    d.log(`quit: dialog failed: ${messageOf(err)}`);
    return null;
  }
  return shown
    ? shown.catch((err: unknown) => {
        d.log(`quit: dialog failed: ${messageOf(err)}`);
        return null;
      })
    : null;
}

/** The parts of a BrowserWindow the dialog placement reads. */
export interface DialogParentCandidate {
  isDestroyed(): boolean;
}

/**
 * Where the quit dialogs go. On macOS a message box without a parent window runs synchronously
 * (Electron's documented limitation), blocking main, so the close could not progress and the
 * abort signal would not work: there they need the window (main.ts shows it first), and with no
 * window there is no dialog. Elsewhere a parentless box is fine and stays visible even when the
 * window is hidden in the tray.
 */
export function dialogTarget<W extends DialogParentCandidate>(
  platform: string,
  win: W | null,
): { parent: W | null } | null {
  const live = win && !win.isDestroyed() ? win : null;
  if (platform === 'darwin') return live ? { parent: live } : null;
  return { parent: null };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
