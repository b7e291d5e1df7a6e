// The day's report over the ordered stream, page by page, inside the worker that owns the reader.
import type { QualityOptions, QualityReport } from '../../../shared/quality.ts';
import type { TickStreamReader } from '../stream/streamTypes.ts';
import { createQualityReportBuilder } from './reportBuilder.ts';

export const QUALITY_PAGE_TICKS = 65_536;

export function buildQualityReport(
  stream: TickStreamReader,
  day: string,
  opts: QualityOptions = {},
  pageTicks: number = QUALITY_PAGE_TICKS,
): QualityReport {
  const builder = createQualityReportBuilder(day, opts);
  const selection = { symbols: opts.symbols ?? [], fromUs: builder.fromUs, toUs: builder.toUs };
  let cursor: string | null = null;
  do {
    const page = stream.page(selection, cursor, pageTicks);
    builder.addPage(page.ticks);
    cursor = page.cursor;
  } while (cursor !== null);
  return builder.finish();
}
