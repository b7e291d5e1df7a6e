// Errors cross process and network boundaries as data: Electron's invoke keeps only `message`
// of a thrown error, so every handler returns one of these instead of throwing.

export const IPC_ERROR_CODES = [
  'invalid_argument',
  'unknown_channel',
  'not_found',
  'unavailable',
  'unsupported',
  'busy',
  'unauthorized',
  'internal',
] as const;
export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];

export interface IpcError {
  code: IpcErrorCode;
  message: string;
  /** Where the problem is, e.g. the argument paths that failed validation. */
  issues?: string[];
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export function ok<T>(value: T): IpcResult<T> {
  return { ok: true, value };
}

export function fail(code: IpcErrorCode, message: string, issues?: string[]): IpcResult<never> {
  return issues ? { ok: false, error: { code, message, issues } } : { ok: false, error: { code, message } };
}

/** Thrown on the client side when a call comes back with ok: false. */
export class TickscopeCallError extends Error {
  readonly code: IpcErrorCode;
  readonly issues: string[] | undefined;
  constructor(channel: string, error: IpcError) {
    super(`${channel}: ${error.message}`);
    this.name = 'TickscopeCallError';
    this.code = error.code;
    this.issues = error.issues;
  }
}
