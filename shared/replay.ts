// Replay types shared by the player, the IPC channels and the local WebSocket feed.

export type ReplaySpeed = 1 | 10 | 100 | 1000 | 'max';
export const REPLAY_SPEEDS: readonly ReplaySpeed[] = [1, 10, 100, 1000, 'max'];

export type ReplayPhase = 'idle' | 'playing' | 'paused' | 'ended';

/** One recorded tick exactly as stored; optional fields absent where the store has NaN. */
export interface ReplayTick {
  symbol: string;
  source: string;
  tsUs: number;
  bid: number;
  ask: number;
  bidSize?: number;
  askSize?: number;
  recvUs: number;
  seq?: number;
}

export interface ReplaySelection {
  symbols: string[];
  sources?: string[];
  fromUs: number;
  /** Exclusive; absent: to the end of what is stored. */
  toUs?: number;
}

export interface ReplayState {
  phase: ReplayPhase;
  speed: ReplaySpeed;
  /** The replay clock: the time of the last tick shown (µs), or the start time before any. */
  clockUs: number;
  /** Ticks delivered since start or the last seek. */
  delivered: number;
  /**
   * Set while playing and the next tick is more than a few seconds of wall time away (a weekend
   * at 1x): the wall milliseconds left, so the UI can say "waiting" and offer a skip.
   */
  waitingMs?: number;
}
