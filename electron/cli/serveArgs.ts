// Command line of the headless server: the option table its parser and its --help both come from.
// Bad arguments are reported with what was wrong and the usage, and the process exits 2.
import os from 'node:os';
import path from 'node:path';
import { DEMO_DEFAULT_RATE, DEMO_DEFAULT_SYMBOLS } from '../../shared/feeds/feedConfig.ts';
import type { CommandSpec } from './helpText.ts';
import { formatHelp } from './helpText.ts';
import type { FeedConfig } from '../../shared/feeds/feedConfig.ts';
import { FEED_GROUP_OPTIONS, parseFeedArgs } from './feedArgs.ts';
import { integerFrom, pathValue } from './optionReaders.ts';
import { webhookUrlProblem } from '../app/healthWebhook.ts';
import { UsageError, flag, option, parseOptions } from './optionTable.ts';

export { UsageError } from './optionTable.ts';

export const DEFAULT_PORT = 5317;
export const DEFAULT_HOST = '127.0.0.1';
/** The data folder when neither --data-dir nor TICK_DATA_DIR says one: in the home folder. */
const DATA_DIR_NAME = '.tickscope-data';

function hostName(raw: string, flagName: string): string {
  if (!/^[A-Za-z0-9.:_-]+$/.test(raw)) {
    throw new UsageError(`${flagName} must be a host name or address, got ${JSON.stringify(raw)}`);
  }
  return raw;
}

function accessToken(raw: string, flagName: string): string {
  if (!/^[A-Za-z0-9_-]{16,256}$/.test(raw)) {
    throw new UsageError(`${flagName} must be 16-256 characters of A-Z a-z 0-9 _ -`);
  }
  return raw;
}

function webhookUrl(raw: string, flagName: string): string {
  const problem = webhookUrlProblem(raw);
  if (problem) throw new UsageError(`${flagName}: ${problem}`);
  return raw;
}

export const SERVE_OPTIONS = {
  'data-dir': option<string | null>({
    arg: 'DIR',
    help: 'where ticks are stored',
    default: null,
    defaultText: `$TICK_DATA_DIR, else ~/${DATA_DIR_NAME}`,
    read: pathValue,
  }),
  port: option({
    arg: 'N',
    help: 'TCP port, 0 for any free one',
    default: DEFAULT_PORT,
    read: integerFrom(0, 65535),
  }),
  host: option({
    arg: 'H',
    help: 'interface to listen on; any but loopback exposes the server to the network',
    default: DEFAULT_HOST,
    read: hostName,
  }),
  ...FEED_GROUP_OPTIONS,
  'feed-config': option<string | null>({
    arg: 'FILE',
    help: 'the feed list the feed screens edit and save; --feed options add to it',
    default: null,
    defaultText: 'DIR/feeds.json',
    read: pathValue,
  }),
  'secrets-file': option<string | null>({
    arg: 'FILE',
    help: 'where feed secrets (FIX passwords) are kept, readable by you only (0600)',
    default: null,
    defaultText: 'DIR/feed-secrets.json',
    read: pathValue,
  }),
  token: option<string | null>({
    arg: 'T',
    help: 'access token the URL and the WebSocket must carry',
    default: null,
    defaultText: '32 random bytes, new every start',
    read: accessToken,
  }),
  'health-webhook': option<string | null>({
    arg: 'URL',
    help: 'POST health changes to this http(s) URL as JSON {status, warnings, at}',
    default: null,
    defaultText: '$TICKSCOPE_HEALTH_WEBHOOK, else none',
    read: webhookUrl,
  }),
  help: flag('print this help and exit', 'h'),
};

export const SERVE_COMMAND: CommandSpec<typeof SERVE_OPTIONS> = {
  name: 'serve',
  synopsis: '[options]',
  summary:
    'The recorder and the UI without Electron: prints `Tickscope is serving at <url>` once it ' +
    'listens; open that URL in a browser. `npm run serve` builds the renderer first when it is ' +
    'missing or older than its sources (`tickscope serve` says so and exits 3).',
  options: SERVE_OPTIONS,
  environment: [
    ['TICK_DATA_DIR', `data folder when --data-dir is not given (else ~/${DATA_DIR_NAME})`],
    ['TICK_STORAGE_BACKEND', 'sqlite, json or dual (default sqlite)'],
    ['BROKER_ID', 'source (LP) given to ticks that carry none'],
    ['TICKSCOPE_HEALTH_WEBHOOK', 'health webhook URL when --health-webhook is not given'],
  ],
  exitCodes: [
    [0, 'stopped by SIGINT or SIGTERM with every accepted tick durable in the day files'],
    [1, 'stopped, but ticks were lost or wait in the spill journal: stderr says how many and why'],
    [2, 'usage error (bad option): message and usage on stderr'],
    [3, 'run-time failure, e.g. the data folder cannot be opened or the port is taken: message on stderr'],
  ],
  notes: [
    'SIGINT and SIGTERM (to node, or to npm when run as `npm run serve`) close the connections, stop ' +
      'the feed, flush to disk and print `Tickscope stopped: ...` with the ticks stored, pending and ' +
      'lost. A second signal while it flushes does not kill it: it says what it is still waiting for.',
  ],
};

/** The help, as `--help` prints it. */
export const USAGE = formatHelp(SERVE_COMMAND);

export interface ServeOptions {
  dataDir: string;
  port: number;
  host: string;
  /** Feeds given with --feed (added to the saved list); empty when none was. */
  feeds: FeedConfig[];
  /** --feed none: start idle. */
  idle: boolean;
  feedConfigFile: string;
  secretsFile: string;
  token: string | undefined;
  /** Where health changes are posted; null for nowhere. */
  healthWebhook: string | null;
  help: boolean;
}

export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv): ServeOptions {
  const f = parseFeedArgs(argv, { demoRate: DEMO_DEFAULT_RATE, demoSymbols: DEMO_DEFAULT_SYMBOLS });
  const values = parseOptions(SERVE_OPTIONS, f.rest);
  const fromEnv =
    env.TICK_DATA_DIR !== undefined && env.TICK_DATA_DIR.trim() !== '' ? env.TICK_DATA_DIR : null;
  const dataDir = values['data-dir'] ?? path.resolve(fromEnv ?? path.join(os.homedir(), DATA_DIR_NAME));
  return {
    dataDir,
    port: values.port,
    host: values.host,
    feeds: f.feeds,
    idle: f.none,
    feedConfigFile: values['feed-config'] ?? path.join(dataDir, 'feeds.json'),
    secretsFile: values['secrets-file'] ?? path.join(dataDir, 'feed-secrets.json'),
    token: values.token ?? undefined,
    healthWebhook: values['health-webhook'] ?? webhookFromEnv(env.TICKSCOPE_HEALTH_WEBHOOK),
    help: values.help,
  };
}

function webhookFromEnv(raw: string | undefined): string | null {
  if (raw === undefined || raw.trim() === '') return null;
  return webhookUrl(raw.trim(), 'TICKSCOPE_HEALTH_WEBHOOK');
}
