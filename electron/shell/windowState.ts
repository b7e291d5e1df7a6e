// Remembers where the window was. Read once at start and written a moment after the last move or
// resize, both asynchronously and replaced whole (writeFileAtomic). A position saved on a monitor
// that is gone (a laptop off its dock) is not reused: the window would open off screen, where the
// user cannot reach it.
import { readFile } from 'node:fs/promises';
import type { Rectangle } from 'electron';
import { writeFileAtomic } from '../engine/fs/writeFileAtomic.ts';

export interface WindowState {
  bounds: Partial<Rectangle>;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = {
  bounds: { width: 1280, height: 800 },
  maximized: false,
};
export const MIN_WINDOW = { width: 800, height: 500 } as const;
/** This much of the title bar must be on some display for a saved position to be kept. */
const GRAB = { width: 100, height: 40 } as const;
/** How long after the last move or resize the state is written. */
export const SAVE_DELAY_MS = 500;

export async function loadWindowState(file: string): Promise<WindowState> {
  let v: Partial<WindowState>;
  try {
    v = JSON.parse(await readFile(file, 'utf8')) as Partial<WindowState>;
  } catch {
    return DEFAULT_WINDOW_STATE;
  }
  const b: Partial<Rectangle> = v && typeof v.bounds === 'object' && v.bounds ? v.bounds : {};
  const ok = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);
  if (!ok(b.width) || !ok(b.height) || b.width < MIN_WINDOW.width || b.height < MIN_WINDOW.height) {
    return DEFAULT_WINDOW_STATE;
  }
  return {
    bounds: { width: b.width, height: b.height, ...(ok(b.x) && ok(b.y) ? { x: b.x, y: b.y } : {}) },
    maximized: v.maximized === true,
  };
}

/**
 * The bounds to open with on today's displays (their work areas, the primary first). The size is
 * kept if it fits some display; the position only if the top of the window is still reachable.
 * Without a position Electron centres the window on the primary display.
 */
export function placeWindow(state: WindowState, workAreas: readonly Rectangle[]): Partial<Rectangle> {
  const width = state.bounds.width ?? DEFAULT_WINDOW_STATE.bounds.width!;
  const height = state.bounds.height ?? DEFAULT_WINDOW_STATE.bounds.height!;
  const { x, y } = state.bounds;
  if (workAreas.length === 0) return { width, height };
  if (x !== undefined && y !== undefined) {
    const home = workAreas.find((a) => titleBarReachable({ x, y, width }, a));
    if (home) return { x, y, width: Math.min(width, home.width), height: Math.min(height, home.height) };
  }
  const primary = workAreas[0];
  return {
    width: Math.max(MIN_WINDOW.width, Math.min(width, primary.width)),
    height: Math.max(MIN_WINDOW.height, Math.min(height, primary.height)),
  };
}

function titleBarReachable(w: { x: number; y: number; width: number }, a: Rectangle): boolean {
  const overlapX = Math.min(w.x + w.width, a.x + a.width) - Math.max(w.x, a.x);
  // The title bar is the window's top strip; its top edge must be inside the area vertically.
  const overlapY = Math.min(w.y + GRAB.height, a.y + a.height) - Math.max(w.y, a.y);
  return overlapX >= GRAB.width && overlapY >= GRAB.height && w.y >= a.y;
}

/** The parts of a BrowserWindow whose state is tracked. */
export interface TrackedWindow {
  isDestroyed(): boolean;
  getNormalBounds(): Rectangle;
  isMaximized(): boolean;
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown;
}

export interface StateTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export async function saveWindowState(file: string, state: WindowState): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(state));
}

export function trackWindowState(
  win: TrackedWindow,
  save: (state: WindowState) => Promise<void>,
  timers: StateTimers,
  log: (m: string) => void,
): void {
  let timer: unknown = null;
  const saveNow = () => {
    timer = null;
    if (win.isDestroyed()) return;
    const state: WindowState = { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
    save(state).catch((err: unknown) => log(`window state not saved: ${(err as Error).message}`));
  };
  const later = () => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = timers.setTimeout(saveNow, SAVE_DELAY_MS);
  };
  for (const e of ['resize', 'move', 'maximize', 'unmaximize'] as const) win.on(e, later);
  win.on('close', () => {
    if (timer !== null) timers.clearTimeout(timer);
    saveNow();
  });
}
