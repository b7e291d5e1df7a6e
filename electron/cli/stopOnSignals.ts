// SIGINT and SIGTERM stop a command the same way: stop the feed, make what was accepted durable,
// print the final line, exit with what the stop found. A signal that arrives while that is going
// on does not kill the process (which would lose what is still in memory): it is answered with
// what the shutdown still waits for.
import type { EventEmitter } from 'node:events';
import { EXIT } from './exitCodes.ts';

export const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * One Ctrl-C in a terminal reaches node twice, a fraction of a millisecond apart: from the
 * terminal (to the whole process group) and forwarded by npm. A service manager that signals the
 * whole control group does the same with SIGTERM. A repeat this soon is the same request.
 */
export const SAME_SIGNAL_WINDOW_MS = 250;

export interface StopOnSignalsOptions {
  /** Prefix of the lines it prints: `record`. */
  name: string;
  /** Stops everything and resolves with the exit code; called once, with what asked for it. */
  stop: (reason: string) => Promise<number>;
  /** What the shutdown is still waiting for, in words: `1200 ticks to be written to the day files`. */
  waitingFor: () => string;
  /** Where the repeated-signal answer goes (default stderr). */
  log?: (line: string) => void;
  /** Called with the exit code once stop() has settled (default process.exit). */
  exit?: (code: number) => void;
  /** Where the signals come from (default process). */
  signals?: EventEmitter;
  now?: () => number;
}

export interface StopControl {
  /** Starts the same shutdown as a signal, for reasons of the command's own (`--duration`). */
  stopNow(reason: string): void;
  readonly stopping: boolean;
}

export function stopOnSignals(o: StopOnSignalsOptions): StopControl {
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const exit = o.exit ?? ((code: number) => process.exit(code));
  const source = o.signals ?? process;
  const now = o.now ?? Date.now;
  let firstAt: number | null = null;

  const begin = (reason: string): void => {
    firstAt = now();
    o.stop(reason).then(exit, (err: unknown) => {
      log(`${o.name}: shutdown failed: ${(err as Error)?.message ?? String(err)}`);
      exit(EXIT.failure);
    });
  };

  const onSignal = (signal: string): void => {
    if (firstAt === null) return begin(signal);
    if (now() - firstAt < SAME_SIGNAL_WINDOW_MS) return;
    log(
      `${o.name}: ${signal} again: still flushing, waiting for ${o.waitingFor()}; ` +
        'it exits by itself when that is done (kill -9 would lose what is not on disk yet)',
    );
  };
  for (const s of STOP_SIGNALS) source.on(s, onSignal);

  return {
    stopNow(reason) {
      if (firstAt === null) begin(reason);
    },
    get stopping() {
      return firstAt !== null;
    },
  };
}
