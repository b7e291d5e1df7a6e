// `npm run compact`: closed UTC days of a data folder into the archive tier, through the engine
// (which compacts in its worker, never on this thread). No feed runs.
//   npm run compact -- --data-dir DIR [--older-than DAYS | --day YYYY-MM-DD]   (--help lists all)
// One line per day on stderr, a JSON summary on stdout; exit codes as in compactArgs.ts.
import path from 'node:path';
import type { CompactionRequest } from '../../shared/archive.ts';
import { configFromEnv } from '../engine/config.ts';
import type { StorageConfigInput } from '../engine/config.ts';
import { ConfigError } from '../engine/errors.ts';
import { openTickStore } from '../engine/tickStore.ts';
import type { TickStore } from '../engine/tickStoreApi.ts';
import type { CompactCli, CompactSelection } from './compactArgs.ts';
import { COMPACT_COMMAND, COMPACT_USAGE, UsageError, parseCompactArgs } from './compactArgs.ts';
import type { CompactionOutcome } from './compactionReport.ts';
import { compactionExitCode, compactionSummary, dayLine, totalLine } from './compactionReport.ts';
import { idleStatus, runCompaction, settleAfterStop } from './compactionRun.ts';
import { EXIT } from './exitCodes.ts';
import { formatUsageError } from './helpText.ts';
import { stopOnSignals } from './stopOnSignals.ts';

const NAME = 'compact';
/** How long stop() may take; it waits for the day being compacted (the engine bounds that itself). */
const STOP_DEADLINE_MS = 60_000;

const log = (line: string): void => void process.stderr.write(`${line}\n`);

function usageError(message: string): number {
  process.stderr.write(formatUsageError(COMPACT_COMMAND, message));
  return EXIT.usage;
}

/** The request for the engine: one day, days older than N (0: every closed day), or the setting's. */
function requestFor(sel: CompactSelection): CompactionRequest {
  if (sel.kind === 'day') return { days: [sel.day] };
  if (sel.kind === 'setting') return {};
  return { olderThanDays: sel.days };
}

function describe(sel: CompactSelection, store: TickStore): string {
  if (sel.kind === 'day') return `day ${sel.day}`;
  const n = sel.kind === 'olderThan' ? sel.days : store.getSettings().compactAfterDays;
  if (n === 0) return 'every closed day';
  return n === null ? 'the days the engine selects' : `live days older than ${n} day(s)`;
}

async function compactStore(store: TickStore, cli: CompactCli): Promise<number> {
  const sel = cli.selection;
  const abort = new AbortController();
  const outcome = (async (): Promise<CompactionOutcome> => {
    const idle = { status: idleStatus(), days: [], interrupted: false, durationMs: 0 };
    if (sel.kind === 'day' && !(await store.listDays()).some((d) => d.day === sel.day)) {
      log(`${NAME}: there is no day file for ${sel.day} in ${store.config.sqliteDir}`);
      return idle;
    }
    const request = requestFor(sel);
    log(`${NAME}: ${describe(sel, store)} in ${store.config.sqliteDir}`);
    return runCompaction(store, request, { name: NAME, log, signal: abort.signal });
  })();
  return new Promise<number>((resolve) => {
    const control = stopOnSignals({
      name: NAME,
      waitingFor: () => 'the day being compacted to finish',
      exit: resolve,
      async stop(reason) {
        if (reason !== 'done') log(`${NAME}: ${reason}: stopping after the day being compacted`);
        abort.abort();
        // The wait ends at its next turn; only then is the store stopped under it.
        const seen = await outcome.catch((err: unknown) => err as Error);
        await store.stop({ deadlineMs: STOP_DEADLINE_MS });
        if (seen instanceof Error) {
          log(`${NAME}: ${seen.message}`);
          return EXIT.failure;
        }
        const o = settleAfterStop(seen, store.compactionStatus());
        for (const d of o.days.slice(seen.days.length))
          log(dayLine(NAME, d, o.status.daysDone, o.status.daysTotal));
        const code = compactionExitCode(o, sel.kind === 'day' ? [sel.day] : []);
        log(totalLine(NAME, o));
        process.stdout.write(`${JSON.stringify(compactionSummary(o, code), null, 2)}\n`);
        return code;
      },
    });
    const finished = (): void => control.stopNow('done');
    outcome.then(finished, finished);
  });
}

async function main(argv: string[]): Promise<number> {
  let cli: CompactCli;
  try {
    cli = parseCompactArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) return usageError(err.message);
    throw err;
  }
  if (cli.help) {
    process.stdout.write(COMPACT_USAGE);
    return EXIT.ok;
  }
  let config: StorageConfigInput;
  try {
    // BROKER_ID only names the source of ticks ingested without one: nothing is ingested here,
    // so a recorder's value (valid or not) has no say.
    const { TICK_DATA_DIR, TICK_STORAGE_BACKEND } = process.env;
    config = configFromEnv({ TICK_DATA_DIR, TICK_STORAGE_BACKEND }, { dataDir: cli.dataDir ?? undefined });
  } catch (err) {
    if (err instanceof ConfigError) return usageError(err.message);
    throw err;
  }
  let store: TickStore;
  try {
    store = await openTickStore(config);
  } catch (err) {
    const dir = path.resolve(config.dataDir);
    log(`${NAME}: cannot open the tick store in ${dir}: ${(err as Error).message}`);
    return EXIT.failure;
  }
  return compactStore(store, cli);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(`${NAME}: ${(err as Error)?.stack ?? String(err)}`);
    process.exit(EXIT.failure);
  },
);
