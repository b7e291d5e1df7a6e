// Turns whatever a handler threw into the IPC envelope: engine errors keep their message and get
// a code the UI can act on; anything unexpected becomes 'internal' and is logged.
import type { IpcError } from '../../shared/ipc/result.ts';
import {
  ConfigError,
  FolderError,
  QueryError,
  StorageIoError,
  StoreClosedError,
  WorkerFailedError,
} from '../engine/errors.ts';
import { HandlerError } from './handlerTypes.ts';

export interface MappedError {
  error: IpcError;
  /** Unexpected: worth a log line with the stack. */
  unexpected: boolean;
}

export function mapError(err: unknown): MappedError {
  if (err instanceof HandlerError)
    return { error: { code: err.code, message: err.message }, unexpected: false };
  // A folder that cannot be created or written (it names the folder and the reason).
  if (err instanceof QueryError || err instanceof ConfigError || err instanceof FolderError) {
    return { error: { code: 'invalid_argument', message: err.message }, unexpected: false };
  }
  // A worker restarting: the same request succeeds once the engine has started a new one.
  if (err instanceof StoreClosedError || err instanceof StorageIoError || err instanceof WorkerFailedError) {
    return { error: { code: 'unavailable', message: err.message }, unexpected: false };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { error: { code: 'internal', message: message || 'internal error' }, unexpected: true };
}
