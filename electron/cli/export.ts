// `npm run export`: stored ticks of a data folder to a file, through the engine's export job (its
// own worker thread reads the day files; this thread only reports). No store is opened, so it
// runs beside a recorder on the same folder.
//   npm run export -- --data-dir DIR --from ISO --to ISO --format parquet --out PATH   (--help)
// Progress lines on stderr, a JSON summary on stdout; exit codes as in exportArgs.ts.
import path from 'node:path';
import type { ExportProgress } from '../../shared/export.ts';
import { startExport } from '../engine/export/exportJob.ts';
import { EXIT } from './exitCodes.ts';
import type { ExportCli } from './exportArgs.ts';
import { EXPORT_COMMAND, EXPORT_USAGE, UsageError, parseExportArgs } from './exportArgs.ts';
import { formatUsageError } from './helpText.ts';

const NAME = 'export';
const log = (line: string): void => void process.stderr.write(`${line}\n`);

function progressLine(p: ExportProgress): string {
  const pct = p.ticksTotal > 0 ? ` (${Math.min(100, Math.round((100 * p.ticksDone) / p.ticksTotal))}%)` : '';
  const eta = p.etaMs === null ? '' : `, ETA ${Math.ceil(p.etaMs / 1000)} s`;
  return `${NAME}: ${p.ticksDone} / ${p.ticksTotal} ticks${pct}, ${p.rowsWritten} rows, ${p.bytesWritten} bytes${eta}`;
}

async function run(cli: ExportCli): Promise<number> {
  const dataDir = cli.dataDir ?? process.env.TICK_DATA_DIR;
  if (!dataDir) {
    process.stderr.write(formatUsageError(EXPORT_COMMAND, '--data-dir or TICK_DATA_DIR is required'));
    return EXIT.usage;
  }
  const sqliteDir = path.join(path.resolve(dataDir), 'sqlite');
  const job = startExport(
    sqliteDir,
    cli.request,
    cli.quiet ? undefined : (p) => p.state === 'running' && log(progressLine(p)),
  );
  const onSignal = (sig: string): void => {
    log(`${NAME}: ${sig}: cancelling, the partial output is removed`);
    job.cancel();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const final = await job.done;
  process.stdout.write(`${JSON.stringify(final, null, 2)}\n`);
  if (final.state === 'done') {
    log(
      `${NAME}: ${final.rowsWritten} rows to ${final.files.length === 1 ? final.files[0] : `${final.files.length} files`} in ${Date.now() - final.startedAtMs} ms`,
    );
    return EXIT.ok;
  }
  if (final.state === 'cancelled') return EXIT.notClean;
  log(`${NAME}: failed: ${final.error ?? 'unknown error'}`);
  return EXIT.failure;
}

async function main(argv: string[]): Promise<number> {
  let cli: ExportCli;
  try {
    cli = parseExportArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(formatUsageError(EXPORT_COMMAND, err.message));
      return EXIT.usage;
    }
    throw err;
  }
  if (cli.help) {
    process.stdout.write(EXPORT_USAGE);
    return EXIT.ok;
  }
  return run(cli);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(`${NAME}: ${(err as Error)?.stack ?? String(err)}`);
    process.exit(EXIT.failure);
  },
);
