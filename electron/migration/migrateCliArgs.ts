// Command line of `npm run migrate`: parsed and checked up front, so a typo is exit code 2 with a
// message naming the option, never a half-started run.
import path from 'node:path';
import type { FormatChoice, MigrationOptions } from '../../shared/migration.ts';
import { DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE, MIGRATION_FORMATS } from '../../shared/migration.ts';
import { checkSymbol } from '../../shared/tick.ts';

export const MIGRATE_USAGE = `Usage: npm run migrate -- --input-dir DIR --output-dir DIR [options]

  --input-dir DIR           folder with the tick files (legacy JSON layout, nested or flat)
  --output-dir DIR          SQLite base of the store (YYYY/MM/ticks_YYYY-MM-DD.db)
  --batch-size N            ticks per batch handed to the store (default ${DEFAULT_BATCH_SIZE})
  --format F                auto (default), ${MIGRATION_FORMATS.join(', ')}
  --symbol S                symbol for files whose records and names do not say it
  --server-offset-hours N   MetaTrader 5 server time offset from UTC (UTC = server - N)
  --dry-run                 read and count everything, store nothing
  --validate                compare every source tick with the day files afterwards
  --archive DIR             after a passing validation, pack the source files into DIR/*.tar.gz
  --delete-after-archive    delete the source files once they are archived
  --preview [N]             print the first N (default 10) rows of each format as parsed, then exit
  --verbose                 one line per file on stderr
  --help                    this text

Exit codes: 0 every file migrated, 1 some files were skipped as bad (listed) or validation
failed, 2 usage error, 3 the run failed.
`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface MigrateCli {
  options: MigrationOptions;
  outputDir: string | null;
  verbose: boolean;
  preview: number | null;
  help: boolean;
}

export function parseMigrateArgs(argv: string[]): MigrateCli {
  const cli: MigrateCli = {
    options: {
      inputDir: '',
      batchSize: DEFAULT_BATCH_SIZE,
      validate: false,
      archiveDir: null,
      deleteAfterArchive: false,
      dryRun: false,
      format: 'auto',
      serverOffsetHours: 0,
      symbol: null,
    },
    outputDir: null,
    verbose: false,
    preview: null,
    help: false,
  };
  const o = cli.options;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--input-dir':
        o.inputDir = path.resolve(value());
        break;
      case '--output-dir':
        cli.outputDir = path.resolve(value());
        break;
      case '--batch-size': {
        const raw = value();
        const n = Number(raw);
        if (!Number.isInteger(n) || n < 1 || n > MAX_BATCH_SIZE) {
          throw new UsageError(
            `--batch-size must be an integer from 1 to ${MAX_BATCH_SIZE}, got ${JSON.stringify(raw)}`,
          );
        }
        o.batchSize = n;
        break;
      }
      case '--format': {
        const f = value();
        if (f !== 'auto' && !(MIGRATION_FORMATS as readonly string[]).includes(f)) {
          throw new UsageError(
            `--format must be auto or one of ${MIGRATION_FORMATS.join(', ')}, got ${JSON.stringify(f)}`,
          );
        }
        o.format = f as FormatChoice;
        break;
      }
      case '--symbol': {
        const s = value();
        if (checkSymbol(s) !== null)
          throw new UsageError(`--symbol ${JSON.stringify(s)} is not a valid symbol`);
        o.symbol = s;
        break;
      }
      case '--server-offset-hours': {
        const raw = value();
        const n = Number(raw);
        if (!Number.isFinite(n) || Math.abs(n) > 24 || raw.trim() === '') {
          throw new UsageError(
            `--server-offset-hours must be a number of hours from -24 to 24, got ${JSON.stringify(raw)}`,
          );
        }
        o.serverOffsetHours = n;
        break;
      }
      case '--archive':
        o.archiveDir = path.resolve(value());
        break;
      case '--delete-after-archive':
        o.deleteAfterArchive = true;
        break;
      case '--dry-run':
        o.dryRun = true;
        break;
      case '--validate':
        o.validate = true;
        break;
      case '--verbose':
        cli.verbose = true;
        break;
      case '--preview': {
        const next = inline ?? argv[i + 1];
        if (next !== undefined && /^\d+$/.test(next)) {
          if (inline === undefined) i++;
          cli.preview = Math.min(200, Math.max(1, Number(next)));
        } else cli.preview = 10;
        break;
      }
      case '--help':
      case '-h':
        cli.help = true;
        break;
      default:
        throw new UsageError(`unknown option ${JSON.stringify(arg)}`);
    }
  }
  if (cli.help) return cli;
  if (o.inputDir === '') throw new UsageError('--input-dir is required');
  if (cli.preview === null && cli.outputDir === null) throw new UsageError('--output-dir is required');
  if (o.deleteAfterArchive && o.archiveDir === null)
    throw new UsageError('--delete-after-archive needs --archive DIR');
  if (o.archiveDir !== null && o.dryRun) throw new UsageError('--archive cannot be combined with --dry-run');
  // Archiving is only ever allowed after a passing validation.
  if (o.archiveDir !== null) o.validate = true;
  return cli;
}
