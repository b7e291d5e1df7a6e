// Typed errors that say what went wrong and what to do about it.
import type { ErrorEnvelope } from './rpc/rpcWire.ts';
import { FolderError } from './fs/makeDirs.ts';

export class ConfigError extends Error {
  readonly setting: string;
  constructor(setting: string, message: string) {
    super(`invalid ${setting}: ${message}`);
    this.name = 'ConfigError';
    this.setting = setting;
  }
}

export class StoreClosedError extends Error {
  constructor(operation: string) {
    super(`${operation}: the tick store is stopped`);
    this.name = 'StoreClosedError';
  }
}

/** A SQLite or file-system failure, with the file it concerns. */
export class StorageIoError extends Error {
  readonly path: string;
  readonly code: string | undefined;
  constructor(path: string, cause: unknown) {
    const c = cause as { code?: string; message?: string };
    super(`${path}: ${c?.message ?? String(cause)}`);
    this.name = 'StorageIoError';
    this.path = path;
    this.code = c?.code;
  }
}

export class QueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryError';
  }
}

/** Errors that cross back from a worker as their own class, so callers can branch on them. */
export function reviveEngineError(env: ErrorEnvelope): Error | null {
  switch (env.kind) {
    case 'QueryError':
      return new QueryError(env.message);
    case 'FolderError':
      return new FolderError(env.path ?? '', env.message.replace(/^[^:]*: /, ''), env.code);
    default:
      return null;
  }
}

export { FolderError } from './fs/makeDirs.ts';
export { WorkerFailedError } from './rpc/rpcClient.ts';
