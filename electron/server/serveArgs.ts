// Command line of the headless server. Bad arguments are reported with what was wrong and the
// usage, and the process exits 2, like other Unix tools.
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

export const DEFAULT_PORT = 5317;
export const DEFAULT_HOST = '127.0.0.1';

export const USAGE = `Usage: npm run serve -- [options]
  --data-dir DIR   where ticks are stored (default: $TICK_DATA_DIR or ~/.tickscope-data)
  --port N         TCP port, 0 for any free one (default ${DEFAULT_PORT})
  --host H         interface to listen on (default ${DEFAULT_HOST})
  --feed F         feed to record from at start: demo or none (default demo)
  --rate N         demo feed ticks per second across all symbols
  --symbols N      demo feed symbol count
  --token T        access token (default: 32 random bytes, new every start)
  -h, --help       show this help`;

export interface ServeOptions {
  dataDir: string;
  port: number;
  host: string;
  feed: string;
  ratePerSec: number | undefined;
  symbols: number | undefined;
  token: string | undefined;
  help: boolean;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const FEEDS = ['demo', 'none'];

export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv): ServeOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'data-dir': { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        feed: { type: 'string' },
        rate: { type: 'string' },
        symbols: { type: 'string' },
        token: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const dataDirRaw =
    values['data-dir'] ?? nonEmpty(env.TICK_DATA_DIR) ?? path.join(os.homedir(), '.tickscope-data');
  if (dataDirRaw.trim() === '') throw new UsageError('--data-dir is empty');
  const feed = values.feed ?? 'demo';
  if (!FEEDS.includes(feed))
    throw new UsageError(`--feed ${JSON.stringify(feed)} is not one of ${FEEDS.join(', ')}`);
  const host = values.host ?? DEFAULT_HOST;
  if (!/^[A-Za-z0-9.:_-]+$/.test(host))
    throw new UsageError(`--host ${JSON.stringify(host)} is not a host name or address`);
  const token = values.token;
  if (token !== undefined && !/^[A-Za-z0-9_-]{16,256}$/.test(token)) {
    throw new UsageError('--token must be 16-256 characters of A-Z a-z 0-9 _ -');
  }
  return {
    dataDir: path.resolve(dataDirRaw),
    port: intOption('--port', values.port, 0, 65535) ?? DEFAULT_PORT,
    host,
    feed,
    ratePerSec: intOption('--rate', values.rate, 1, 1_000_000),
    symbols: intOption('--symbols', values.symbols, 1, 500),
    token,
    help: values.help ?? false,
  };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v !== undefined && v.trim() !== '' ? v : undefined;
}

function intOption(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new UsageError(`${name} ${JSON.stringify(raw)} is not a whole number`);
  const n = Number(raw);
  if (n < min || n > max) throw new UsageError(`${name} ${n} is outside ${min}-${max}`);
  return n;
}
