// Small React bindings for the typed API: subscribe to an event for a component's lifetime,
// and load a request with loading/error state that refreshes on reconnect.
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type {
  EventChannel,
  EventPayload,
  RequestChannel,
  RequestInput,
  RequestOutput,
  TickscopeApi,
} from '../../shared/ipc/contract.ts';
import type { ZoneId } from '../time/zone.ts';
import type { ConnectionState } from '../transport/connectionState.ts';

export interface AppContextValue {
  api: TickscopeApi;
  isElectron: boolean;
  connection: ConnectionState;
  /** Increments every time the link to the engine (re)opens, so views refetch and resubscribe. */
  epoch: number;
  /** Zone every time on screen is shown in (the view state's `zone`; UTC unless the user picks one). */
  zone: ZoneId;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('useApp outside <AppContext.Provider>');
  return ctx;
}

export function useEvent<C extends EventChannel>(
  channel: C,
  listener: (payload: EventPayload<C>) => void,
): void {
  const { api } = useApp();
  const ref = useRef(listener);
  useEffect(() => {
    ref.current = listener;
  });
  useEffect(() => api.on(channel, (p) => ref.current(p)), [api, channel]);
}

export interface RequestState<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
  set: (value: T) => void;
}

/** Runs a request when mounted, on reconnect, and on `reload`; a newer run supersedes an older. */
export function useRequest<C extends RequestChannel>(
  channel: C,
  input: RequestInput<C>,
  key = '',
): RequestState<RequestOutput<C>> {
  const { api, epoch } = useApp();
  const [data, setData] = useState<RequestOutput<C> | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [nonce, setNonce] = useState(0);
  const runKey = `${epoch}|${nonce}|${key}`;
  // Loading is derived (the run settled or not) rather than set when a run starts.
  const [settledKey, setSettledKey] = useState<string | null>(null);
  const inputRef = useRef(input);
  useEffect(() => {
    inputRef.current = input;
  });
  useEffect(() => {
    let live = true;
    api.call(channel, inputRef.current).then(
      (value) => {
        if (!live) return;
        setData(value);
        setError(undefined);
        setSettledKey(runKey);
      },
      (err: unknown) => {
        if (!live) return;
        setError(err instanceof Error ? err : new Error(String(err)));
        setSettledKey(runKey);
      },
    );
    return () => {
      live = false;
    };
  }, [api, channel, runKey]);
  const loading = settledKey !== runKey;
  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { data, error, loading, reload, set: setData };
}

/** Re-renders every `ms` so ages and rates stay current between pushes. */
export function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const h = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(h);
  }, [ms]);
  return now;
}

export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const issues = (err as { issues?: string[] }).issues;
    return issues && issues.length > 0 ? `${err.message} (${issues.join('; ')})` : err.message;
  }
  return String(err);
}
