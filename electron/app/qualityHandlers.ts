// Handler of quality.report: the engine's quality worker over the current data folder.
import type { qualityRequests } from '../../shared/ipc/qualityChannels.ts';
import { QualityReportError, qualityReport } from '../engine/quality/runQualityReport.ts';
import type { HandlerMap } from './handlerTypes.ts';
import { HandlerError } from './handlerTypes.ts';
import type { ServiceContext } from './serviceContext.ts';

export type QualityChannel = keyof typeof qualityRequests;

export function createQualityHandlers(ctx: ServiceContext): HandlerMap<QualityChannel> {
  return {
    'quality.report': async ({ day, symbols }) => {
      try {
        return await qualityReport(ctx.store().config.sqliteDir, day, { symbols: symbols ?? [] });
      } catch (e) {
        if (e instanceof QualityReportError) throw new HandlerError('unavailable', e.message);
        throw e;
      }
    },
  };
}
