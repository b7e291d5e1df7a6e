// Headless recorder: the engine plus a feed, printing one JSON stats line per interval.
//   npm run record -- --data-dir DIR [options]      (or `tickscope record`; --help lists them all)
// Exit codes as in exitCodes.ts: 1 when the stop found ticks lost or left in the spill journal.
import path from 'node:path';
import { configFromEnv } from '../engine/config.ts';
import type { StorageConfigInput } from '../engine/config.ts';
import { ConfigError } from '../engine/errors.ts';
import { openTickStore } from '../engine/tickStore.ts';
import type { TickStore } from '../engine/tickStoreApi.ts';
import { memoryFeedConfigs, readFeedListFile } from '../app/feedConfigFile.ts';
import type { FeedConfig } from '../../shared/feeds/feedConfig.ts';
import { DEMO_FEED_SCHEMA } from '../../shared/feeds/feedConfig.ts';
import { combineHealth } from '../../shared/stats.ts';
import { systemClock } from '../engine/clock.ts';
import { createFeed } from '../app/feedFactory.ts';
import type { FeedManager } from '../app/feedManager.ts';
import { createFeedManager } from '../app/feedManager.ts';
import type { SecretStore } from '../app/secretFile.ts';
import { memorySecretStore, openSecretFile } from '../app/secretFile.ts';
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

/** `statuses`: the feeds' status; the final line passes the one taken just before they stopped. */
function printStats(store: TickStore, feeds: FeedManager, final: boolean, statuses = feeds.status()): void {
  const s = store.getStorageStats();
  // The final line comes after the feeds stopped: only the store's health is news then.
  const h = final ? store.getHealth() : combineHealth(store.getHealth(), feeds.health());
  const feedLines = statuses.map((f) => ({
    id: f.id,
    state: f.state,
    ticks: f.ticks,
    messages: f.messages,
    reconnects: f.reconnects,
    malformed: f.malformed.reduce((n, m) => n + m.count, 0),
    paused: f.paused,
    latency_p99_us: f.latency?.p99Us ?? null,
  }));
  process.stdout.write(
    `${JSON.stringify({ at: new Date().toISOString(), final, ...s, rss_bytes: process.memoryUsage.rss(), health: h.status, health_reasons: h.reasons, feeds: feedLines })}\n`,
  );
}

/** The feeds to run: --feed-config's enabled ones, then each --feed; the demo feed when neither. */
async function feedList(opts: RecordOptions): Promise<FeedConfig[]> {
  const fromFile = opts['feed-config'] ? await readFeedListFile(opts['feed-config']) : [];
  const byId = new Map(fromFile.map((f) => [f.id, f]));
  for (const f of opts.feeds) byId.set(f.id, f);
  if (byId.size === 0 && !opts.none)
    byId.set('demo', DEMO_FEED_SCHEMA.parse({ id: 'demo', kind: 'demo', symbolCount: 12, ratePerSec: 1000 }));
  return [...byId.values()];
}

async function record(
  store: TickStore,
  opts: RecordOptions,
  configs: FeedConfig[],
  secrets: SecretStore,
): Promise<number> {
  const feeds = await createFeedManager({
    store: () => store,
    configs: memoryFeedConfigs(configs),
    secrets,
    create: createFeed,
    stateDir: path.join(store.config.dataDir, 'feed-state'),
    clock: systemClock,
    log: (m) => process.stderr.write(`record: ${m}\n`),
    onEvents: () => undefined,
    onChange: () => undefined,
  });
  if (!opts.none) feeds.startEnabled();
  if (feeds.running().length === 0 && !opts.none) {
    process.stderr.write('record: no feed could start (see above)\n');
    await store.stop({ deadlineMs: STOP_DEADLINE_MS });
    return EXIT.failure;
  }
  const timer = setInterval(() => printStats(store, feeds, false), opts['stats-interval'] * 1000);
  let durationTimer: NodeJS.Timeout | undefined;

  return new Promise<number>((resolve) => {
    const control = stopOnSignals({
      name: 'record',
      waitingFor: () => stillWaitingFor(store.getStorageStats()),
      exit: resolve,
      async stop(reason) {
        clearInterval(timer);
        clearTimeout(durationTimer);
        process.stderr.write(`record: ${reason}: stopping the feeds and flushing to disk\n`);
        const lastStatus = feeds.status();
        await feeds.stopAll();
        const result = await store.stop({ deadlineMs: STOP_DEADLINE_MS });
        printStats(store, feeds, true, lastStatus);
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
  let configs: FeedConfig[];
  let secrets: SecretStore;
  try {
    configs = await feedList(opts);
    secrets = opts['secrets-file']
      ? await openSecretFile(opts['secrets-file'], undefined, process.env)
      : memorySecretStore(process.env);
  } catch (err) {
    process.stderr.write(`record: ${(err as Error).message}\n`);
    return EXIT.usage;
  }
  let store: TickStore;
  try {
    store = await openTickStore(config);
  } catch (err) {
    const dir = path.resolve(config.dataDir);
    process.stderr.write(`record: cannot open the tick store in ${dir}: ${(err as Error).message}\n`);
    return EXIT.failure;
  }
  return record(store, opts, configs, secrets);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`record: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exit(EXIT.failure);
  },
);
