// One WebSocket per page carries the whole contract: request frames in, result and event frames
// out. A client that falls behind loses live events rather than growing our memory.
import type { WebSocket } from 'ws';
import type { EventChannel } from '../../shared/ipc/contract.ts';
import type { WsServerFrame } from '../../shared/ipc/wire.ts';
import type { TickscopeService } from '../app/tickscopeService.ts';

/** Beyond this much unsent data, live events (quotes, ticks) are dropped for that client. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
const DROPPABLE: ReadonlySet<EventChannel> = new Set<EventChannel>(['live.quotes', 'live.ticks']);

export function attachConnection(ws: WebSocket, service: TickscopeService, log: (m: string) => void): void {
  const send = (frame: WsServerFrame) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };
  const conn = service.connect({
    send(event, payload) {
      if (DROPPABLE.has(event) && ws.bufferedAmount > MAX_BUFFERED_BYTES) return;
      send({ event, payload });
    },
  });
  ws.on('message', (data, isBinary) => {
    const frame = parseRequestFrame(isBinary ? null : data.toString());
    if (!frame) {
      ws.close(1003, 'expected a JSON request frame {id, channel, input}');
      return;
    }
    void conn.dispatch(frame.channel, frame.input).then((result) => send({ id: frame.id, result }));
  });
  ws.on('close', () => conn.close());
  ws.on('error', (err) => log(`websocket: ${err.message}`));
}

function parseRequestFrame(text: string | null): { id: number; channel: unknown; input: unknown } | null {
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
