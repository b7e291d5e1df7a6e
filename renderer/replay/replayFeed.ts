// Replayed ticks arrive over the page's one connection as soon as the replay starts, before the
// chart that shows them has mounted. The feed holds a session's ticks until the chart attaches,
// and a new session (a start or a seek, begun when its reply arrives: ticks of the old stream
// come before that reply on the same connection) drops whatever the old one left.
import type { ReplayTick } from '../../shared/replay.ts';

export type ReplayListener = (ticks: ReplayTick[], clockUs: number) => void;

/** Ticks held for a chart not attached yet; beyond this the oldest go (the chart keeps fewer). */
const MAX_HELD = 50_000;

export class ReplayFeed {
  private sessionId = 0;
  private held: ReplayTick[] = [];
  private heldClockUs: number | null = null;
  private listener: ReplayListener | null = null;

  get session(): number {
    return this.sessionId;
  }

  /** Starts a new session: held ticks of the old one are dropped and its listener detached. */
  begin(): number {
    this.sessionId++;
    this.held = [];
    this.heldClockUs = null;
    this.listener = null;
    return this.sessionId;
  }

  push(ticks: ReplayTick[], clockUs: number): void {
    if (this.listener) {
      this.listener(ticks, clockUs);
      return;
    }
    for (const t of ticks) this.held.push(t);
    if (this.held.length > MAX_HELD) this.held.splice(0, this.held.length - MAX_HELD);
    this.heldClockUs = clockUs;
  }

  /**
   * Hands the session's held ticks to `listener` at once, then every later batch. Returns the
   * detach function; attaching for an older session than the current one attaches nothing.
   */
  attach(session: number, listener: ReplayListener): () => void {
    if (session !== this.sessionId) return () => {};
    this.listener = listener;
    if (this.heldClockUs !== null) {
      const held = this.held;
      const clock = this.heldClockUs;
      this.held = [];
      this.heldClockUs = null;
      listener(held, clock);
    }
    return () => {
      if (this.listener === listener) this.listener = null;
    };
  }
}
