// replay.* handlers: one player per caller, stopped when the caller's window or socket closes, so
// a replay never outlives the client watching it and never reaches another client.
import type { ReplayState } from '../../shared/replay.ts';
import type { CallerContext, HandlerMap } from './handlerTypes.ts';
import { HandlerError } from './handlerTypes.ts';
import { ReplayPlayer } from './replay/replayPlayer.ts';
import type { PageSource, ReplayTimer } from './replay/replayPlayer.ts';

export interface ReplayHandlerDeps {
  readPage: PageSource;
  log: (message: string) => void;
  timer?: ReplayTimer;
}

const IDLE: ReplayState = { phase: 'idle', speed: 1, clockUs: 0, delivered: 0 };

export function createReplayHandlers(
  deps: ReplayHandlerDeps,
): HandlerMap<'replay.start' | 'replay.control' | 'replay.status'> {
  const sessions = new Map<number, ReplayPlayer>();

  function session(caller: CallerContext | null): {
    caller: CallerContext;
    send: NonNullable<CallerContext['send']>;
  } {
    if (!caller?.send || !caller.onClose)
      throw new HandlerError('unsupported', 'replay needs a connected window or socket to send its ticks to');
    return { caller, send: caller.send.bind(caller) };
  }

  return {
    'replay.start': async (input, c) => {
      const { caller, send } = session(c);
      sessions.get(caller.id)?.stop();
      const selection = {
        symbols: input.symbols,
        fromUs: input.fromUs,
        ...(input.sources ? { sources: input.sources } : {}),
        ...(input.toUs !== undefined ? { toUs: input.toUs } : {}),
      };
      if (input.toUs !== undefined && input.toUs <= input.fromUs)
        throw new HandlerError('invalid_argument', 'toUs must be after fromUs');
      const player = new ReplayPlayer({
        selection,
        speed: input.speed,
        readPage: deps.readPage,
        onTicks: (ticks, clockUs) => send('replay.ticks', { ticks, clockUs }),
        onState: (state) => send('replay.state', state),
        onError: (e) => deps.log(`replay for client ${caller.id}: ${(e as Error).message}`),
        ...(deps.timer ? { timer: deps.timer } : {}),
      });
      if (!sessions.has(caller.id)) caller.onClose!(() => sessions.get(caller.id)?.stop() ?? undefined);
      sessions.set(caller.id, player);
      player.play();
      return player.state();
    },
    'replay.control': async (input, c) => {
      const { caller } = session(c);
      const player = sessions.get(caller.id);
      if (!player)
        throw new HandlerError('not_found', 'no replay is running for this window: start one first');
      switch (input.action) {
        case 'play':
          player.play();
          break;
        case 'pause':
          player.pause();
          break;
        case 'step':
          await player.step();
          break;
        case 'skipWait':
          player.skipWait();
          break;
        case 'seek':
          player.seek(input.toUs);
          break;
        case 'speed':
          player.setSpeed(input.speed);
          break;
        case 'stop':
          player.stop();
          sessions.delete(caller.id);
          return { ...player.state(), phase: 'idle' };
      }
      return player.state();
    },
    'replay.status': async (_input, c) => {
      const { caller } = session(c);
      return sessions.get(caller.id)?.state() ?? IDLE;
    },
  };
}
