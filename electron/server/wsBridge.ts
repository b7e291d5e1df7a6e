// One WebSocket per page carries the whole contract: request frames in, result and event frames
// out. Every connection's unsent bytes are bounded, answers included, so a client that stops
// reading cannot grow the server: live events are dropped first; above the limit no further
// request is read or started; a client that stays above it without reading is closed (4008) and
// then cut off. At most a few requests per connection are computed at once.
import type { EventChannel } from '../../shared/ipc/contract.ts';
import type { WsServerFrame } from '../../shared/ipc/wire.ts';
import type { TickscopeService } from '../app/tickscopeService.ts';

/** Close code for a client closed because it did not read what it asked for. */
export const WS_CLOSE_TOO_SLOW = 4008;

const MB = 1024 * 1024;

export interface WsLimits {
  /** Live events (quotes, ticks) are dropped for a client while more than this is unsent. */
  dropEventsAboveBytes: number;
  /** Above this much unsent data no further request is read or started for the connection. */
  maxUnsentBytes: number;
  /** Above maxUnsentBytes with nothing delivered for this long: the client is closed. */
  stallMs: number;
  /** A frame that would take the unsent bytes past this closes the client at once. */
  hardUnsentBytes: number;
  /** Requests computed at once per connection; while at the cap no further frame is read. */
  maxInFlight: number;
  /**
   * Requests already parsed beyond maxInFlight (ws parses whole socket chunks) wait here; past
   * this many they are answered `busy`.
   */
  maxQueued: number;
  /** After the 4008 close frame, the socket is destroyed if the close has not completed. */
  closeGraceMs: number;
  /** How often a connection above maxUnsentBytes is checked for progress. */
  pollMs: number;
}

export const DEFAULT_WS_LIMITS: WsLimits = {
  dropEventsAboveBytes: 8 * MB,
  maxUnsentBytes: 16 * MB,
  stallMs: 5000,
  // Room for the largest answer (a 500,000-tick range page is about 20 MB) above the limit.
  hardUnsentBytes: 64 * MB,
  maxInFlight: 4,
  maxQueued: 256,
  closeGraceMs: 2000,
  pollMs: 100,
};

const DROPPABLE: ReadonlySet<EventChannel> = new Set<EventChannel>(['live.quotes', 'live.ticks']);

/** The part of a `ws` WebSocket the bridge uses (a fake stands in under test). */
export interface BridgeSocket {
  readonly readyState: number;
  readonly OPEN: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code: number, reason: string): void;
  terminate(): void;
  pause(): void;
  resume(): void;
  on(event: 'message', listener: (data: { toString(): string }, isBinary: boolean) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

export interface BridgeTimers {
  now(): number;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: BridgeTimers = {
  now: () => Date.now(),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

interface RequestFrame {
  id: number;
  channel: unknown;
  input: unknown;
}

export function attachConnection(
  sock: BridgeSocket,
  service: TickscopeService,
  log: (m: string) => void,
  limitsIn: Partial<WsLimits> = {},
  timers: BridgeTimers = realTimers,
): void {
  const limits = { ...DEFAULT_WS_LIMITS, ...limitsIn };
  let closing = false;
  let inFlight = 0;
  const queue: RequestFrame[] = [];
  let paused = false;
  // Progress is measured as bytes handed to ws minus bytes still unsent: it only grows when the
  // client reads (frame headers are left out, so it can never show progress that did not happen).
  let written = 0;
  let poll: unknown = null;
  let lastDelivered = 0;
  let lastProgressAt = 0;
  let peakUnsent = 0;
  let graceTimer: unknown = null;

  const unsent = () => sock.bufferedAmount;
  const open = () => !closing && sock.readyState === sock.OPEN;

  const sendText = (text: string): void => {
    const bytes = Buffer.byteLength(text);
    // A frame larger than the ceiling on its own still goes out to a client that has read
    // everything else: it is in memory already, and refusing it would fail that request forever.
    if (unsent() > 0 && unsent() + bytes > limits.hardUnsentBytes) {
      disconnectSlow(`a ${mb(bytes)} frame on top of ${mb(unsent())} unsent`);
      return;
    }
    written += bytes;
    sock.send(text);
    peakUnsent = Math.max(peakUnsent, unsent());
    if (unsent() > limits.maxUnsentBytes) startWatching();
  };

  const send = (frame: WsServerFrame): void => {
    if (open()) sendText(JSON.stringify(frame));
  };

  const conn = service.connect({
    send(event, payload) {
      if (DROPPABLE.has(event) && unsent() > limits.dropEventsAboveBytes) return;
      send({ event, payload });
    },
  });

  /** Reading is paused while the connection is at its request cap or above its unsent limit. */
  const updateReading = (): void => {
    if (closing) return;
    const shouldPause =
      inFlight >= limits.maxInFlight || queue.length > 0 || unsent() > limits.maxUnsentBytes;
    if (shouldPause === paused || sock.readyState !== sock.OPEN) return;
    paused = shouldPause;
    if (paused) sock.pause();
    else sock.resume();
  };

  const start = (frame: RequestFrame): void => {
    inFlight++;
    void conn
      .dispatch(frame.channel, frame.input)
      .then(
        (result) => send({ id: frame.id, result }),
        // dispatch never rejects by contract; if it did, the slot must still be freed.
        (err: unknown) => log(`websocket: request ${frame.id} failed: ${(err as Error)?.message ?? err}`),
      )
      .finally(() => {
        inFlight--;
        pump();
      });
  };

  /** Starts queued requests while there is room for their answers. */
  const pump = (): void => {
    while (open() && queue.length > 0 && inFlight < limits.maxInFlight && unsent() <= limits.maxUnsentBytes) {
      start(queue.shift() as RequestFrame);
    }
    updateReading();
  };

  function startWatching(): void {
    if (poll !== null || closing) return;
    lastDelivered = written - unsent();
    lastProgressAt = timers.now();
    updateReading();
    poll = timers.setInterval(() => {
      const delivered = written - unsent();
      if (delivered > lastDelivered) {
        lastDelivered = delivered;
        lastProgressAt = timers.now();
      }
      if (unsent() <= limits.maxUnsentBytes) {
        stopWatching();
        pump();
      } else if (timers.now() - lastProgressAt >= limits.stallMs) {
        disconnectSlow(`${mb(unsent())} unsent and nothing read for ${limits.stallMs} ms`);
      }
    }, limits.pollMs);
  }

  function stopWatching(): void {
    if (poll === null) return;
    timers.clearInterval(poll);
    poll = null;
  }

  function disconnectSlow(why: string): void {
    if (closing) return;
    log(`websocket: closing a client that reads too slowly: ${why} (peak ${mb(peakUnsent)} unsent)`);
    closeWith(
      WS_CLOSE_TOO_SLOW,
      `client reads too slowly: more than ${mb(limits.maxUnsentBytes)} unsent; reconnect and read`,
    );
  }

  function closeWith(code: number, reason: string): void {
    closing = true;
    stopWatching();
    queue.length = 0;
    // The close frame waits behind the unsent data, so a client that never reads never sees it:
    // after the grace the socket is destroyed, which frees what it still holds.
    sock.close(code, reason);
    graceTimer = timers.setTimeout(() => sock.terminate(), limits.closeGraceMs);
    // Read again so a client that does catch up can answer the close: its frames are ignored
    // now (closing), and the reply ends the handshake before the grace does.
    if (paused) {
      paused = false;
      sock.resume();
    }
  }

  sock.on('message', (data, isBinary) => {
    if (closing) return;
    const frame = parseRequestFrame(isBinary ? null : data.toString());
    if (!frame) {
      closeWith(1003, 'expected a JSON request frame {id, channel, input}');
      return;
    }
    if (queue.length >= limits.maxQueued) {
      send({
        id: frame.id,
        result: {
          ok: false,
          error: {
            code: 'busy',
            message: `too many requests waiting on this connection (at most ${limits.maxInFlight} run and ${limits.maxQueued} wait)`,
          },
        },
      });
      return;
    }
    queue.push(frame);
    pump();
  });
  sock.on('close', () => {
    closing = true;
    stopWatching();
    if (graceTimer !== null) timers.clearTimeout(graceTimer);
    queue.length = 0;
    conn.close();
  });
  sock.on('error', (err) => log(`websocket: ${err.message}`));
}

function mb(bytes: number): string {
  return `${(bytes / MB).toFixed(1)} MB`;
}

function parseRequestFrame(text: string | null): RequestFrame | null {
  if (text === null) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const f = v as Record<string, unknown>;
  if (typeof f.id !== 'number' || !Number.isSafeInteger(f.id)) return null;
  return { id: f.id, channel: f.channel, input: f.input };
}
