import type { IpcResult } from '../../shared/ipc/result.ts';
import { TickscopeCallError } from '../../shared/ipc/result.ts';

/** Turns a `{ok:false}` envelope into a thrown TickscopeCallError naming the channel. */
export function unwrapResult<T>(channel: string, result: IpcResult<T>): T {
  if (result && typeof result === 'object' && result.ok === true) return result.value;
  if (result && typeof result === 'object' && result.ok === false && result.error) {
    throw new TickscopeCallError(channel, result.error);
  }
  throw new TickscopeCallError(channel, { code: 'internal', message: 'malformed reply from the engine' });
}
