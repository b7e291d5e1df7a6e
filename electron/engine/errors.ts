// Typed errors that say what went wrong and what to do about it.

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
