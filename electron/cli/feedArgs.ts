// Feeds on the command line: `--feed KIND` starts a feed and the feed options after it (up to the
// next `--feed`) belong to it, so several feeds can be given at once:
//   --feed binance --symbols BTCUSDT,ETHUSDT --feed coinbase --feed-url ws://127.0.0.1:9/ --symbols BTC-USD
// Feed options given before any --feed belong to one demo feed (`--symbols 12 --rate 1000`).
// Everything else goes to the command's own table.
import type { FeedConfig, FeedKind } from '../../shared/feeds/feedConfig.ts';
import { FEED_CONFIG_SCHEMA, FEED_KINDS } from '../../shared/feeds/feedConfig.ts';
import { describeIssue } from '../app/feedConfigFile.ts';
import { oneOf, positiveNumber, shown, text } from './optionReaders.ts';
import type { OptionTable, OptionValues } from './optionTable.ts';
import { UsageError, option, parseOptions } from './optionTable.ts';

export const FEED_CHOICES = [...FEED_KINDS, 'none'] as const;

export const FEED_GROUP_OPTIONS = {
  feed: option<string | null>({
    arg: FEED_CHOICES.join('|'),
    help: 'a feed to record from; repeat for several (the options below apply to the --feed before them); none starts idle',
    default: null,
    defaultText: 'demo, unless --feed-config lists feeds',
    read: oneOf(FEED_CHOICES),
  }),
  'feed-url': option<string | null>({
    arg: 'URL',
    help: 'where the feed connects: ws://... or wss://... for binance, coinbase and ws-json; for fix fix://HOST:PORT?sender=ME&target=LP, optionally with &username=U &heartbeat=S &reset=1',
    default: null,
    defaultText: "the exchange's public endpoint",
    read: text,
  }),
  symbols: option<string | null>({
    arg: 'A,B,...|N',
    help: 'symbols as the exchange spells them (BTCUSDT, BTC-USD, EUR/USD); for demo, how many it quotes',
    default: null,
    defaultText: 'demo: 12',
    read: text,
  }),
  'feed-id': option<string | null>({
    arg: 'ID',
    help: 'name of the feed in status, the gap ledger and the feed screens',
    default: null,
    defaultText: 'its kind, then kind-2, kind-3…',
    read: text,
  }),
  source: option<string | null>({
    arg: 'NAME',
    help: 'source (LP) stored with its ticks',
    default: null,
    defaultText: 'binance, coinbase, the FIX TargetCompID, the ws-json feed id',
    read: text,
  }),
  market: option<'spot' | 'futures'>({
    arg: 'spot|futures',
    help: 'binance: spot or USD-M futures bookTicker',
    default: 'spot',
    read: oneOf(['spot', 'futures'] as const),
  }),
  rate: option<number | null>({
    arg: 'TICKS_PER_S',
    help: 'demo: ticks per second across all symbols; news bursts run 2.5 times faster',
    default: null,
    defaultText: '1000',
    read: (raw, flag) => {
      const n = positiveNumber(raw, flag);
      if (n > 1_000_000) throw new UsageError(`${flag} must be at most 1000000, got ${shown(raw)}`);
      return n;
    },
  }),
} satisfies OptionTable;

type GroupValues = OptionValues<typeof FEED_GROUP_OPTIONS>;

export interface FeedArgs {
  /** The command's own arguments, feed options removed. */
  rest: string[];
  /** Feeds given on the command line, in order; empty when none was. */
  feeds: FeedConfig[];
  /** `--feed none`: start idle. */
  none: boolean;
}

export interface FeedDefaults {
  demoRate: number;
  demoSymbols: number;
}

/** Splits argv into the command's arguments and feed groups, then builds each feed's config. */
export function parseFeedArgs(argv: readonly string[], defaults: FeedDefaults): FeedArgs {
  const rest: string[] = [];
  const groups: string[][] = [];
  let current: string[] | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const name = arg.startsWith('--') ? arg.slice(2).split('=')[0] : '';
    if (!Object.hasOwn(FEED_GROUP_OPTIONS, name)) {
      rest.push(arg);
      continue;
    }
    if (name === 'feed' || current === null) groups.push((current = []));
    current.push(arg);
    // The value travels with its option, unless it was given inline (`--feed=binance`).
    if (!arg.includes('=') && i + 1 < argv.length && !argv[i + 1].startsWith('--')) current.push(argv[++i]);
  }
  const feeds: FeedConfig[] = [];
  let none = false;
  const used = new Map<string, number>();
  for (const g of groups) {
    const v = parseOptions(FEED_GROUP_OPTIONS, g);
    if (v.feed === 'none') {
      for (const k of Object.keys(FEED_GROUP_OPTIONS) as (keyof GroupValues)[]) {
        if (k !== 'feed' && v[k] !== FEED_GROUP_OPTIONS[k].default)
          throw new UsageError(`--${k} does not apply to --feed none`);
      }
      none = true;
      continue;
    }
    feeds.push(feedFromOptions(v, used, defaults));
  }
  if (none && feeds.length > 0) throw new UsageError('--feed none cannot be combined with other feeds');
  return { rest, feeds, none };
}

function feedFromOptions(v: GroupValues, used: Map<string, number>, d: FeedDefaults): FeedConfig {
  const kind = (v.feed ?? 'demo') as FeedKind;
  const n = (used.get(kind) ?? 0) + 1;
  used.set(kind, n);
  const id = v['feed-id'] ?? (n === 1 ? kind : `${kind}-${n}`);
  const label = `--feed ${kind}${v['feed-id'] ? ` (${id})` : ''}`;
  const only = (flag: keyof GroupValues, kinds: readonly FeedKind[]) => {
    if (v[flag] !== FEED_GROUP_OPTIONS[flag].default && !kinds.includes(kind))
      throw new UsageError(`--${flag} does not apply to ${label}`);
  };
  only('rate', ['demo']);
  only('market', ['binance']);
  const raw: Record<string, unknown> = { id, kind };
  if (v.source !== null) raw.source = v.source;
  if (kind === 'demo') {
    only('feed-url', []);
    raw.ratePerSec = v.rate ?? d.demoRate;
    raw.symbolCount = v.symbols === null ? d.demoSymbols : demoCount(v.symbols);
  } else {
    if (v.symbols !== null) raw.symbols = symbolList(v.symbols);
    if (kind === 'binance') raw.market = v.market;
    if (kind === 'fix') {
      if (v['feed-url'] === null)
        throw new UsageError(
          `${label} needs --feed-url fix://HOST:PORT?sender=ME&target=LP (or --feed-config FILE)`,
        );
      Object.assign(raw, fixFromUrl(v['feed-url']));
    } else if (v['feed-url'] !== null) {
      raw.url = v['feed-url'];
    }
    if (kind === 'ws-json') {
      if (v['feed-url'] === null)
        throw new UsageError(`${label} needs --feed-url ws://… (or --feed-config FILE)`);
      // Without a config file the messages are Tickscope's own JSON tick layout.
      raw.mapping = { symbol: 'symbol', bid: 'bid', ask: 'ask', time: 'ts', timeUnit: 'ms' };
    }
  }
  const r = FEED_CONFIG_SCHEMA.safeParse(raw);
  if (!r.success) throw new UsageError(`${label}: ${describeIssue(r.error.issues[0], undefined)}`);
  return r.data;
}

function demoCount(raw: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 500)
    throw new UsageError(`--symbols for the demo feed must be a count from 1 to 500, got ${shown(raw)}`);
  return n;
}

function symbolList(raw: string): string[] {
  const list = raw
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (list.length === 0) throw new UsageError('--symbols is empty: give A,B,...');
  return [...new Set(list)];
}

function fixFromUrl(raw: string): Record<string, unknown> {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new UsageError(`--feed-url ${shown(raw)} is not a URL (fix://HOST:PORT?sender=ME&target=LP)`);
  }
  if (u.protocol !== 'fix:' || !u.hostname || !u.port)
    throw new UsageError(`--feed-url ${shown(raw)} must look like fix://HOST:PORT?sender=ME&target=LP`);
  const q = u.searchParams;
  const sender = q.get('sender');
  const target = q.get('target');
  if (!sender || !target)
    throw new UsageError(`--feed-url ${shown(raw)} needs sender=… and target=… (CompIDs)`);
  if (q.has('password'))
    throw new UsageError(
      'a FIX password never goes on the command line: set TICKSCOPE_SECRET_<FEED>_PASSWORD or use --secrets-file',
    );
  const out: Record<string, unknown> = {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: Number(u.port),
    senderCompId: sender,
    targetCompId: target,
  };
  const username = q.get('username');
  if (username) {
    // A username logs on with the password from the secret store or the environment.
    out.username = username;
    out.usePassword = true;
  }
  const hb = q.get('heartbeat');
  if (hb !== null) out.heartbeatSec = Number(hb);
  if (q.get('reset') === '1' || q.get('reset') === 'true') out.resetOnLogon = true;
  return out;
}
