// Tells the user's zooms and pans from the chart's own view changes. lightweight-charts reports a
// new visible range whoever made it; the live chart moves its view every frame while following,
// so a range change counts as the user's only during a wheel turn or with a button held down on
// the chart (a drag, or a drag on the time axis) — and not when that gesture began before the
// chart resumed following (End pressed right after a drag).

/** A wheel turn counts for this long: the chart applies it within a frame or two. */
const WHEEL_MS = 400;
/** After a button is released, a little longer (the last move of a drag). */
const RELEASE_MS = 200;

/** What is listened to (the chart host, the window); spelled out for the Node-side typecheck. */
export interface EventHost {
  addEventListener(
    type: string,
    listener: () => void,
    options?: { capture?: boolean; passive?: boolean },
  ): void;
  removeEventListener(type: string, listener: () => void, options?: { capture?: boolean }): void;
}

const page = (): EventHost => globalThis as unknown as EventHost;

export class UserGesture {
  private readonly host: EventHost;
  private down = false;
  private startedAt = -Infinity;
  private until = 0;
  private resumedAt = -Infinity;

  constructor(host: EventHost) {
    this.host = host;
    host.addEventListener('wheel', this.onWheel, { capture: true, passive: true });
    host.addEventListener('pointerdown', this.onDown, { capture: true });
    page().addEventListener('pointerup', this.onUp);
    page().addEventListener('pointercancel', this.onUp);
  }

  /** A button is held down on the chart (a drag may be under way). */
  get pointerDown(): boolean {
    return this.down;
  }

  /** True when a view change now is the user's doing. */
  active(nowMs: number): boolean {
    return (this.down || nowMs <= this.until) && this.startedAt >= this.resumedAt;
  }

  /** The chart resumed following: gestures begun before now no longer count. */
  resumed(nowMs: number): void {
    this.resumedAt = nowMs;
  }

  destroy(): void {
    this.host.removeEventListener('wheel', this.onWheel, { capture: true });
    this.host.removeEventListener('pointerdown', this.onDown, { capture: true });
    page().removeEventListener('pointerup', this.onUp);
    page().removeEventListener('pointercancel', this.onUp);
  }

  private onWheel = (): void => {
    this.startedAt = performance.now();
    this.until = this.startedAt + WHEEL_MS;
  };

  private onDown = (): void => {
    this.down = true;
    this.startedAt = performance.now();
  };

  private onUp = (): void => {
    if (!this.down) return;
    this.down = false;
    this.until = performance.now() + RELEASE_MS;
  };
}
