// `npm run quality`: a stored day's data-quality report, computed in the engine's quality worker
// (no store is opened, so it runs beside a recorder on the same folder).
//   npm run quality -- --data-dir DIR --day YYYY-MM-DD [--format csv]   (--help)
import path from 'node:path';
import { qualityReport } from '../engine/quality/runQualityReport.ts';
import { qualityReportCsv, qualityReportJson } from '../../shared/qualityCsv.ts';
import { EXIT } from './exitCodes.ts';
import { formatUsageError } from './helpText.ts';
import type { QualityCli } from './qualityArgs.ts';
import { QUALITY_COMMAND, QUALITY_USAGE, UsageError, parseQualityArgs } from './qualityArgs.ts';

const NAME = 'quality';

async function run(cli: QualityCli): Promise<number> {
  const dataDir = cli.dataDir ?? process.env.TICK_DATA_DIR;
  if (!dataDir) {
    process.stderr.write(formatUsageError(QUALITY_COMMAND, '--data-dir or TICK_DATA_DIR is required'));
    return EXIT.usage;
  }
  const report = await qualityReport(path.join(path.resolve(dataDir), 'sqlite'), cli.day, {
    symbols: cli.symbols,
    spikeZ: cli.spikeZ,
  });
  process.stdout.write(cli.format === 'csv' ? qualityReportCsv(report) : qualityReportJson(report));
  return EXIT.ok;
}

async function main(argv: string[]): Promise<number> {
  let cli: QualityCli;
  try {
    cli = parseQualityArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(formatUsageError(QUALITY_COMMAND, err.message));
      return EXIT.usage;
    }
    throw err;
  }
  if (cli.help) {
    process.stdout.write(QUALITY_USAGE);
    return EXIT.ok;
  }
  return run(cli);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${NAME}: ${(err as Error)?.message ?? String(err)}\n`);
    process.exit(EXIT.failure);
  },
);
