// The replay as a local WebSocket feed (GET /replay?...): a strategy consumes recorded ticks
// exactly as stored, in stream order, as JSON batches. Page reads wait while the socket's send
// buffer is above a bound, so an as-fast-as-possible replay to a slow reader stays bounded.
import type { WebSocket } from 'ws';
import { ReplayPlayer } from '../app/replay/replayPlayer.ts';
import type { PageSource, ReplayTimer } from '../app/replay/replayPlayer.ts';
import { REPLAY_SPEEDS } from '../../shared/replay.ts';
import type { ReplaySelection, ReplaySpeed } from '../../shared/replay.ts';

export const REPLAY_PATH = '/replay';
/** Above this many unsent bytes the feed stops reading pages until the client catches up. */
export const REPLAY_BUFFER_BOUND = 4 * 1024 * 1024;
const MAX_SYMBOLS = 64;
const NAME = /^[A-Za-z0-9._:/-]{1,64}$/;

export interface ReplayRequest {
  selection: ReplaySelection;
  speed: ReplaySpeed;
}

/** The query string as a replay request, or a message naming what is wrong with it. */
export function parseReplayQuery(params: URLSearchParams): ReplayRequest | { error: string } {
  const symbols = splitNames(params.get('symbols'));
  if (symbols.length === 0)
    return { error: 'symbols is required: a comma-separated list, e.g. symbols=EURUSD,GBPUSD' };
  if (symbols.length > MAX_SYMBOLS) return { error: `at most ${MAX_SYMBOLS} symbols` };
  const bad = symbols.find((s) => !NAME.test(s));
  if (bad !== undefined) return { error: `not a symbol name: ${JSON.stringify(bad)}` };
  const sources = splitNames(params.get('sources'));
  const badSource = sources.find((s) => !NAME.test(s));
  if (badSource !== undefined) return { error: `not a source name: ${JSON.stringify(badSource)}` };
  const fromRaw = params.get('from');
  if (fromRaw === null)
    return { error: 'from is required: an ISO time (2019-02-04T00:00:00Z) or µs since the epoch' };
  const fromUs = parseTime(fromRaw);
  if (fromUs === null) return { error: `from is not a time: ${JSON.stringify(fromRaw)}` };
  const toRaw = params.get('to');
  const toUs = toRaw === null ? undefined : parseTime(toRaw);
  if (toUs === null) return { error: `to is not a time: ${JSON.stringify(toRaw)}` };
  if (toUs !== undefined && toUs <= fromUs) return { error: 'to must be after from' };
  const speedRaw = params.get('speed') ?? 'max';
  const speed = REPLAY_SPEEDS.find((s) => String(s) === speedRaw);
  if (speed === undefined) return { error: `speed must be one of ${REPLAY_SPEEDS.join(', ')}` };
  const selection: ReplaySelection = { symbols, fromUs };
  if (sources.length > 0) selection.sources = sources;
  if (toUs !== undefined) selection.toUs = toUs;
  return { selection, speed };
}

function splitNames(raw: string | null): string[] {
  if (raw === null) return [];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function parseTime(raw: string): number | null {
  if (/^\d{1,17}$/.test(raw)) return Number(raw);
  const ms = Date.parse(raw);
  if (!/^\d{4}-\d\d-\d\d/.test(raw) || Number.isNaN(ms)) return null;
  return ms * 1000;
}

export interface ReplayFeedOptions {
  readPage: PageSource;
  log: (message: string) => void;
  timer?: ReplayTimer;
  bufferBound?: number;
  pageSize?: number;
}

/** Runs one replay on an accepted socket until the selection ends or the socket closes. */
export function attachReplayFeed(ws: WebSocket, params: URLSearchParams, o: ReplayFeedOptions): void {
  const request = parseReplayQuery(params);
  if ('error' in request) {
    ws.send(JSON.stringify({ type: 'error', message: request.error }));
    ws.close(1008, 'bad replay selection');
    return;
  }
  const bound = o.bufferBound ?? REPLAY_BUFFER_BOUND;
  let closed = false;
  let failed = false;
  const drained = async (): Promise<void> => {
    while (!closed && ws.bufferedAmount > bound) await new Promise((r) => setTimeout(r, 5));
  };
  const player = new ReplayPlayer({
    selection: request.selection,
    speed: request.speed,
    readPage: async (selection, cursor, maxTicks) => {
      await drained();
      return o.readPage(selection, cursor, maxTicks);
    },
    onTicks: (ticks) => {
      if (!closed) ws.send(JSON.stringify({ type: 'ticks', ticks }));
    },
    onState: (state) => {
      if (state.phase !== 'ended' || closed || failed) return;
      ws.send(JSON.stringify({ type: 'end', count: state.delivered }));
      ws.close(1000, 'replay ended');
    },
    onError: (error) => {
      failed = true;
      o.log(`replay feed: ${(error as Error).message}`);
      if (closed) return;
      ws.send(
        JSON.stringify({
          type: 'error',
          message: `reading the stored ticks failed: ${(error as Error).message}`,
        }),
      );
      ws.close(1011, 'replay failed');
    },
    ...(o.timer ? { timer: o.timer } : {}),
    ...(o.pageSize ? { pageSize: o.pageSize } : {}),
  });
  ws.on('close', () => {
    closed = true;
    player.stop();
  });
  ws.on('message', (data) => {
    const reply = control(player, String(data));
    if (reply) ws.send(JSON.stringify(reply));
  });
  ws.send(JSON.stringify({ type: 'hello', ...request.selection, speed: request.speed }));
  player.play();
}

/** Optional client messages: pause, play, step, speed, seek. Returns an error message to send, if any. */
function control(player: ReplayPlayer, text: string): { type: 'error'; message: string } | null {
  let msg: { type?: unknown; speed?: unknown; toUs?: unknown };
  try {
    msg = JSON.parse(text) as typeof msg;
  } catch {
    return { type: 'error', message: 'messages must be JSON objects such as {"type":"pause"}' };
  }
  switch (msg.type) {
    case 'pause':
      player.pause();
      return null;
    case 'play':
      player.play();
      return null;
    case 'step':
      void player.step();
      return null;
    case 'speed': {
      const speed = REPLAY_SPEEDS.find((s) => s === msg.speed);
      if (speed === undefined)
        return { type: 'error', message: `speed must be one of ${REPLAY_SPEEDS.join(', ')}` };
      player.setSpeed(speed);
      return null;
    }
    case 'seek':
      if (typeof msg.toUs !== 'number' || !Number.isFinite(msg.toUs))
        return { type: 'error', message: 'seek needs toUs: µs since the epoch' };
      player.seek(msg.toUs);
      return null;
    default:
      return { type: 'error', message: `unknown message type ${JSON.stringify(msg.type)}` };
  }
}
