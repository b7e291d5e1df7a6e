// TickscopeApi over the headless server's WebSocket. Requests are matched to replies by id;
// events fan out to listeners. The socket reconnects with backoff; calls made while it is down
// wait for the next connection, calls in flight when it drops fail as `unavailable` (the server
// may or may not have run them). A 4401 close means the token was refused: no retry. A browser
// reports most failed connects as 1006, so after an attempt that never opened the client asks
// `checkAccess` whether the token is refused (serve restarted with a new one) or the server is
// simply unreachable, and only the first stops the retries.
import type {
  EventChannel,
  EventPayload,
  RequestChannel,
  RequestInput,
  RequestOutput,
  TickscopeApi,
} from '../../shared/ipc/contract.ts';
import type { IpcErrorCode, IpcResult } from '../../shared/ipc/result.ts';
import { TickscopeCallError } from '../../shared/ipc/result.ts';
import type { WsRequestFrame } from '../../shared/ipc/wire.ts';
import { backoffDelayMs } from './backoff.ts';
import type { AccessCheck } from './accessCheck.ts';
import type { ConnectionState } from './connectionState.ts';
import { unwrapResult } from './unwrap.ts';

export const CLOSE_UNAUTHORIZED = 4401;
const OPEN = 1;

/** The part of the browser WebSocket this client uses (a fake one stands in under test). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface WsClientOptions {
  url: string;
  /** Subprotocols to offer (wsUrl.ts wsProtocols: ours and the token entry). */
  protocols: string[];
  createSocket: (url: string, protocols: string[]) => SocketLike;
  /** Whether the server still accepts the page's credential; without it only 4401 counts. */
  checkAccess?: () => Promise<AccessCheck>;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  now?: () => number;
  random?: () => number;
}

interface Pending {
  channel: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class WsTickscopeClient implements TickscopeApi {
  private readonly options: WsClientOptions;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly now: () => number;
  private socket: SocketLike | null = null;
  private nextId = 1;
  private readonly inFlight = new Map<number, Pending>();
  private outbox: { frame: WsRequestFrame; pending: Pending }[] = [];
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private currentState: ConnectionState = { kind: 'connecting', attempt: 0 };
  private attempt = 0;
  private retryTimer: unknown = null;
  private closed = false;
  private checking = false;

  constructor(options: WsClientOptions) {
    this.options = options;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
    this.now = options.now ?? (() => Date.now());
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  start(): void {
    this.connect();
  }

  call<C extends RequestChannel>(channel: C, input: RequestInput<C>): Promise<RequestOutput<C>> {
    if (this.currentState.kind === 'unauthorized') {
      return Promise.reject(this.callError(channel, 'unauthorized', 'access token refused'));
    }
    if (this.closed) return Promise.reject(this.callError(channel, 'unavailable', 'connection closed'));
    return new Promise<RequestOutput<C>>((resolve, reject) => {
      const frame: WsRequestFrame = { id: this.nextId++, channel, input };
      const pending: Pending = { channel, resolve: resolve as (v: unknown) => void, reject };
      if (this.socket && this.socket.readyState === OPEN) this.send(frame, pending);
      else this.outbox.push({ frame, pending });
    });
  }

  on<C extends EventChannel>(channel: C, listener: (payload: EventPayload<C>) => void): () => void {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    const l = listener as (payload: unknown) => void;
    set.add(l);
    return () => {
      set.delete(l);
    };
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => {
      this.stateListeners.delete(listener);
    };
  }

  close(): void {
    this.closed = true;
    if (this.retryTimer !== null) this.clearTimer(this.retryTimer);
    this.retryTimer = null;
    this.failAll('unavailable', 'connection closed');
    this.socket?.close(1000, 'page closed');
    this.socket = null;
  }

  private connect(): void {
    if (this.closed) return;
    this.retryTimer = null;
    this.setState({ kind: 'connecting', attempt: this.attempt });
    let socket: SocketLike;
    try {
      socket = this.options.createSocket(this.options.url, this.options.protocols);
    } catch (err) {
      this.scheduleReconnect(err instanceof Error ? err.message : String(err));
      return;
    }
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      opened = true;
      this.attempt = 0;
      this.setState({ kind: 'open' });
      const queued = this.outbox;
      this.outbox = [];
      for (const q of queued) this.send(q.frame, q.pending);
    };
    socket.onmessage = (ev) => {
      if (this.socket === socket) this.receive(ev.data);
    };
    socket.onerror = () => {
      // A close event always follows; that is where state changes.
    };
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (ev.code === CLOSE_UNAUTHORIZED) {
        this.refuse();
        return;
      }
      this.failInFlight('unavailable', 'connection lost before the reply');
      this.scheduleReconnect(
        ev.reason || (ev.code === 1006 ? 'connection lost' : `closed with code ${ev.code}`),
      );
      if (!opened) this.checkAccessOnce();
    };
  }

  /** One access check at a time; a refusal that arrives after the link reopened is stale. */
  private checkAccessOnce(): void {
    const check = this.options.checkAccess;
    if (!check || this.checking) return;
    this.checking = true;
    check().then(
      (verdict) => {
        this.checking = false;
        if (verdict === 'refused' && !this.closed && this.currentState.kind !== 'open') this.refuse();
      },
      () => {
        this.checking = false;
      },
    );
  }

  /** The token is refused: retrying cannot help, only opening the URL the server printed. */
  private refuse(): void {
    if (this.retryTimer !== null) this.clearTimer(this.retryTimer);
    this.retryTimer = null;
    // A socket still connecting is left to the server's 4401; its events are ignored from now.
    this.socket = null;
    this.closed = true;
    this.setState({ kind: 'unauthorized' });
    this.failAll('unauthorized', 'access token refused');
  }

  private scheduleReconnect(reason: string): void {
    if (this.closed) return;
    const delay = backoffDelayMs(this.attempt, { random: this.options.random });
    this.attempt++;
    this.setState({ kind: 'disconnected', attempt: this.attempt, retryAtMs: this.now() + delay, reason });
    this.retryTimer = this.setTimer(() => this.connect(), delay);
  }

  private send(frame: WsRequestFrame, pending: Pending): void {
    let text: string;
    try {
      text = JSON.stringify(frame);
    } catch (err) {
      pending.reject(this.callError(frame.channel, 'invalid_argument', `input is not JSON: ${String(err)}`));
      return;
    }
    this.inFlight.set(frame.id, pending);
    this.socket!.send(text);
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (!frame || typeof frame !== 'object') return;
    const f = frame as { id?: unknown; result?: unknown; event?: unknown; payload?: unknown };
    if (typeof f.id === 'number') {
      const pending = this.inFlight.get(f.id);
      if (!pending) return;
      this.inFlight.delete(f.id);
      try {
        pending.resolve(unwrapResult(pending.channel, f.result as IpcResult<unknown>));
      } catch (err) {
        pending.reject(err as Error);
      }
      return;
    }
    if (typeof f.event === 'string') {
      const set = this.listeners.get(f.event);
      if (!set) return;
      for (const listener of [...set]) {
        try {
          listener(f.payload);
        } catch (err) {
          // One broken view must not starve the others of events.
          console.error(`listener for ${f.event} failed`, err);
        }
      }
    }
  }

  private failInFlight(code: IpcErrorCode, message: string): void {
    const pending = [...this.inFlight.values()];
    this.inFlight.clear();
    for (const p of pending) p.reject(this.callError(p.channel, code, message));
  }

  private failAll(code: IpcErrorCode, message: string): void {
    this.failInFlight(code, message);
    const queued = this.outbox;
    this.outbox = [];
    for (const q of queued) q.pending.reject(this.callError(q.pending.channel, code, message));
  }

  private callError(channel: string, code: IpcErrorCode, message: string): TickscopeCallError {
    return new TickscopeCallError(channel, { code, message });
  }

  private setState(state: ConnectionState): void {
    this.currentState = state;
    for (const l of [...this.stateListeners]) l(state);
  }
}
