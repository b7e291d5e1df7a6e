// TickscopeApi over the Electron preload bridge (`window.tickscope`).
import type {
  EventChannel,
  EventPayload,
  RequestChannel,
  RequestInput,
  RequestOutput,
  TickscopeApi,
} from '../../shared/ipc/contract.ts';
import type { IpcResult } from '../../shared/ipc/result.ts';
import { TickscopeCallError } from '../../shared/ipc/result.ts';
import type { TickscopeBridge } from '../../shared/ipc/wire.ts';
import { unwrapResult } from './unwrap.ts';

export function createBridgeClient(bridge: TickscopeBridge): TickscopeApi {
  return {
    async call<C extends RequestChannel>(channel: C, input: RequestInput<C>): Promise<RequestOutput<C>> {
      const fn = bridge.requests[channel] as unknown as
        ((input: unknown) => Promise<IpcResult<RequestOutput<C>>>) | undefined;
      if (typeof fn !== 'function') {
        throw new TickscopeCallError(channel, {
          code: 'unknown_channel',
          message: 'not exposed by this build',
        });
      }
      return unwrapResult(channel, await fn(input));
    },
    on<C extends EventChannel>(channel: C, listener: (payload: EventPayload<C>) => void): () => void {
      return bridge.subscribe(channel, listener);
    },
  };
}
