// Command line of `record`: the option table its parser and its --help both come from.
import type { Backend } from '../../shared/stats.ts';
import { BACKENDS } from '../../shared/stats.ts';
import { DEFAULT_SOURCE } from '../../shared/tick.ts';
import type { CommandSpec } from './helpText.ts';
import type { FeedConfig } from '../../shared/feeds/feedConfig.ts';
import { FEED_GROUP_OPTIONS, parseFeedArgs } from './feedArgs.ts';
import { positiveNumber, oneOf, pathValue } from './optionReaders.ts';
import type { OptionValues } from './optionTable.ts';
import { flag, option, parseOptions } from './optionTable.ts';

export const RECORD_OPTIONS = {
  'data-dir': option<string | null>({
    arg: 'DIR',
    help: 'where ticks are stored: DIR/sqlite, DIR/json, DIR/spill',
    default: null,
    defaultText: '$TICK_DATA_DIR; one of the two is required',
    read: pathValue,
  }),
  backend: option<Backend | null>({
    arg: BACKENDS.join('|'),
    help: 'where ticks go: SQLite day files, the legacy JSON files or both',
    default: null,
    defaultText: '$TICK_STORAGE_BACKEND, else sqlite',
    read: oneOf(BACKENDS),
  }),
  ...FEED_GROUP_OPTIONS,
  'feed-config': option<string | null>({
    arg: 'FILE',
    help: 'JSON file listing feeds ({"feeds": [...]}, see README); its enabled feeds run, with any --feed',
    default: null,
    defaultText: 'none',
    read: pathValue,
  }),
  'secrets-file': option<string | null>({
    arg: 'FILE',
    help: 'feed secrets (FIX passwords): a JSON file only you can read (chmod 600), {"<feed id>": {"password": "..."}}',
    default: null,
    defaultText: 'none; TICKSCOPE_SECRET_<FEED>_PASSWORD also works',
    read: pathValue,
  }),
  duration: option<number | null>({
    arg: 'S',
    help: 'stop by itself after S seconds, as on SIGTERM',
    default: null,
    defaultText: 'run until SIGINT or SIGTERM',
    read: positiveNumber,
  }),
  'stats-interval': option({
    arg: 'S',
    help: 'seconds between two JSON stats lines on stdout',
    default: 1,
    read: positiveNumber,
  }),
  help: flag('print this help and exit', 'h'),
};

export type RecordOptions = OptionValues<typeof RECORD_OPTIONS> & {
  /** The feeds given with --feed, in order (empty: --feed-config's, or the demo feed). */
  feeds: FeedConfig[];
  none: boolean;
};

export const RECORD_DEMO_DEFAULTS = { demoRate: 1000, demoSymbols: 12 };

export const RECORD_COMMAND: CommandSpec<typeof RECORD_OPTIONS> = {
  name: 'record',
  synopsis: '--data-dir DIR [options]',
  summary:
    'Headless recorder: runs the engine and a feed and prints one JSON line of storage stats per ' +
    'interval on stdout; the last one, printed after it stopped, has "final": true.',
  options: RECORD_OPTIONS,
  environment: [
    ['TICK_DATA_DIR', 'data folder when --data-dir is not given'],
    ['TICK_STORAGE_BACKEND', 'sqlite, json or dual when --backend is not given'],
    ['BROKER_ID', `source (LP) given to ticks that carry none (default: ${JSON.stringify(DEFAULT_SOURCE)})`],
    ['TICKSCOPE_SECRET_<FEED>_PASSWORD', 'the FIX password of feed <FEED> (its id upper-cased, - as _)'],
  ],
  exitCodes: [
    [0, 'stopped (by signal or --duration) with every accepted tick durable in the day files'],
    [1, 'stopped, but ticks were lost or wait in the spill journal: stderr says how many and why'],
    [2, 'usage error (bad option or environment variable): message and usage on stderr'],
    [3, 'run-time failure, e.g. the data folder cannot be opened: message on stderr'],
  ],
  notes: [
    'Several feeds at once: repeat --feed; the options after each --feed (--feed-url, --symbols, ' +
      '--feed-id, --source, --market, --rate) belong to it. Example: --feed binance --feed-url ' +
      'ws://127.0.0.1:9001/ws --symbols BTCUSDT,ETHUSDT --feed coinbase --symbols BTC-USD. Feeds ' +
      'reconnect by themselves forever; connection changes and gaps are printed on stderr and kept in ' +
      'the day files (table feed_events).',
    'SIGINT and SIGTERM (to node, or to npm when run as `npm run record`) stop the feed, flush to ' +
      'disk, print the final stats line and exit. A second signal while it flushes does not kill it: ' +
      'it says what it is still waiting for.',
  ],
};

export function parseRecordArgs(argv: readonly string[]): RecordOptions {
  const f = parseFeedArgs(argv, RECORD_DEMO_DEFAULTS);
  return { ...parseOptions(RECORD_OPTIONS, f.rest), feeds: f.feeds, none: f.none };
}
