// Headless recorder: the engine plus a feed, printing one JSON stats line per interval.
//   npm run record -- --data-dir DIR [--backend sqlite|json|dual] [--feed demo] [--symbols N]
//                     [--rate TICKS_PER_S] [--duration S] [--stats-interval S]
import { parseArgs } from 'node:util';
import { configFromEnv, parseBackend } from '../engine/config.ts';
import { ConfigError } from '../engine/errors.ts';
import { openTickStore } from '../engine/tickStore.ts';
import { createDemoFeed } from '../feeds/demoFeed.ts';

const USAGE = `usage: npm run record -- --data-dir DIR [--backend sqlite|json|dual] [--feed demo]
                        [--symbols N] [--rate TICKS_PER_S] [--duration S] [--stats-interval S]`;

function fail(message: string): never {
  process.stderr.write(`record: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function positive(name: string, v: string | undefined, fallback: number, integer = false): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    fail(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(v)}`);
  }
  return n;
}

let args;
try {
  args = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      backend: { type: 'string' },
      feed: { type: 'string', default: 'demo' },
      symbols: { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      'stats-interval': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }).values;
} catch (e) {
  fail((e as Error).message);
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (args.feed !== 'demo') fail(`unknown feed ${JSON.stringify(args.feed)} (available: demo)`);

let config;
try {
  config = configFromEnv(process.env, {
    dataDir: args['data-dir'],
    backend: args.backend === undefined ? undefined : parseBackend(args.backend, '--backend'),
  });
} catch (e) {
  fail(e instanceof ConfigError ? e.message : String(e));
}
const symbols = positive('symbols', args.symbols, 12, true);
const rate = positive('rate', args.rate, 1_000);
const durationS = args.duration === undefined ? null : positive('duration', args.duration, 0);
const intervalS = positive('stats-interval', args['stats-interval'], 1);

const store = await openTickStore(config).catch((e: Error) => fail(e.message));
const feed = createDemoFeed({ symbols, ratePerSec: rate });

function printStats(final: boolean): void {
  const s = store.getStorageStats();
  const h = store.getHealth();
  process.stdout.write(
    `${JSON.stringify({ at: new Date().toISOString(), final, ...s, health: h.status, health_reasons: h.reasons })}\n`,
  );
}

feed.start((t) => store.ingest(t));
const timer = setInterval(() => printStats(false), intervalS * 1000);

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(timer);
  feed.stop();
  try {
    await store.flush();
    printStats(true);
    await store.stop();
    process.exit(0);
  } catch (e) {
    process.stderr.write(`record: shutdown failed: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
if (durationS !== null) setTimeout(() => void shutdown(), durationS * 1000);
