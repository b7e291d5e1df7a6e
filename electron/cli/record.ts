// Headless recorder: the engine plus a feed, printing one JSON stats line per interval.
//   npm run record -- --data-dir DIR [options]      (or `tickscope record`; --help lists them all)
// Exit codes as in exitCodes.ts: 1 when the stop found ticks lost or left in the spill journal.
import path from 'node:path';
import { configFromEnv } from '../engine/config.ts';
import type { StorageConfigInput } from '../engine/config.ts';
import { ConfigError } from '../engine/errors.ts';
import { openTickStore } from '../engine/tickStore.ts';
import type { TickStore } from '../engine/tickStoreApi.ts';
import { createDemoFeed } from '../feeds/demoFeed.ts';
import { EXIT } from './exitCodes.ts';
import { formatHelp, formatUsageError } from './helpText.ts';
import { UsageError } from './optionTable.ts';
import type { RecordOptions } from './recordArgs.ts';
import { RECORD_COMMAND, parseRecordArgs } from './recordArgs.ts';
import { stopOnSignals } from './stopOnSignals.ts';
import { stillWaitingFor, stopOutcome } from './stopReport.ts';

/** How long the stop may take to make everything durable; what is not by then goes to the journal. */
const STOP_DEADLINE_MS = 10_000;

function usageError(message: string): number {
  process.stderr.write(formatUsageError(RECORD_COMMAND, message));
  return EXIT.usage;
}

function printStats(store: TickStore, final: boolean): void {
  const s = store.getStorageStats();
  const h = store.getHealth();
  process.stdout.write(
    `${JSON.stringify({ at: new Date().toISOString(), final, ...s, health: h.status, health_reasons: h.reasons })}\n`,
  );
}

function record(store: TickStore, opts: RecordOptions): Promise<number> {
  const feed = createDemoFeed({ symbols: opts.symbols, ratePerSec: opts.rate });
  feed.start((t) => store.ingest(t));
  const timer = setInterval(() => printStats(store, false), opts['stats-interval'] * 1000);
  let durationTimer: NodeJS.Timeout | undefined;

  return new Promise<number>((resolve) => {
    const control = stopOnSignals({
      name: 'record',
      waitingFor: () => stillWaitingFor(store.getStorageStats()),
      exit: resolve,
      async stop(reason) {
        clearInterval(timer);
        clearTimeout(durationTimer);
        feed.stop();
        process.stderr.write(`record: ${reason}: stopping the feed and flushing to disk\n`);
        const result = await store.stop({ deadlineMs: STOP_DEADLINE_MS });
        printStats(store, true);
        const outcome = stopOutcome(result, store.getStorageStats());
        for (const p of outcome.problems) process.stderr.write(`record: ${p}\n`);
        return outcome.exitCode;
      },
    });
    if (opts.duration !== null) {
      durationTimer = setTimeout(() => control.stopNow('--duration reached'), opts.duration * 1000);
    }
  });
}

async function main(argv: string[]): Promise<number> {
  let opts: RecordOptions;
  try {
    opts = parseRecordArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) return usageError(err.message);
    throw err;
  }
  if (opts.help) {
    process.stdout.write(formatHelp(RECORD_COMMAND));
    return EXIT.ok;
  }
  let config: StorageConfigInput;
  try {
    config = configFromEnv(process.env, {
      dataDir: opts['data-dir'] ?? undefined,
      backend: opts.backend ?? undefined,
    });
  } catch (err) {
    if (err instanceof ConfigError) return usageError(err.message);
    throw err;
  }
  let store: TickStore;
  try {
    store = await openTickStore(config);
  } catch (err) {
    const dir = path.resolve(config.dataDir);
    process.stderr.write(`record: cannot open the tick store in ${dir}: ${(err as Error).message}\n`);
    return EXIT.failure;
  }
  return record(store, opts);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`record: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(EXIT.failure);
  },
);
