// Placeholder until the migration work lands: every migration channel answers 'unsupported'.
// The migration engineer replaces this file (same export, same context type).
import { migrationRequests } from '../../shared/ipc/migrationChannels.ts';
import type { HandlerMap } from '../app/handlerTypes.ts';
import { HandlerError } from '../app/handlerTypes.ts';
import type { ServiceContext } from '../app/serviceContext.ts';

export type MigrationChannel = keyof typeof migrationRequests;

export interface MigrationHandlers {
  handlers: HandlerMap<MigrationChannel>;
  /** Stops a running migration when the service shuts down. */
  close(): Promise<void>;
}

export function createMigrationHandlers(_ctx: ServiceContext): MigrationHandlers {
  const unavailable = async (): Promise<never> => {
    throw new HandlerError('unsupported', 'the migration is not available in this build yet');
  };
  const handlers = Object.fromEntries(
    Object.keys(migrationRequests).map((c) => [c, unavailable]),
  ) as unknown as HandlerMap<MigrationChannel>;
  return { handlers, close: async () => undefined };
}
