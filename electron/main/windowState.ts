// Remembers where the window was. Read once at start and written a moment after the last move or
// resize, both asynchronously, through a temp file so a crash never leaves half a JSON file.
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { BrowserWindow, Rectangle } from 'electron';

export interface WindowState {
  bounds: Partial<Rectangle>;
  maximized: boolean;
}

const DEFAULT_STATE: WindowState = { bounds: { width: 1280, height: 800 }, maximized: false };

export async function loadWindowState(file: string): Promise<WindowState> {
  try {
    const v = JSON.parse(await readFile(file, 'utf8')) as Partial<WindowState>;
    const b = v.bounds ?? {};
    const ok = (n: unknown) => typeof n === 'number' && Number.isFinite(n);
    if (!ok(b.width) || !ok(b.height) || (b.width as number) < 400 || (b.height as number) < 300)
      return DEFAULT_STATE;
    return {
      bounds: { width: b.width, height: b.height, ...(ok(b.x) && ok(b.y) ? { x: b.x, y: b.y } : {}) },
      maximized: v.maximized === true,
    };
  } catch {
    return DEFAULT_STATE;
  }
}

export function trackWindowState(win: BrowserWindow, file: string, log: (m: string) => void): void {
  let timer: NodeJS.Timeout | null = null;
  const save = () => {
    timer = null;
    if (win.isDestroyed()) return;
    const state: WindowState = { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
    const tmp = `${file}.tmp`;
    writeFile(tmp, JSON.stringify(state))
      .then(() => rename(tmp, file))
      .catch((err: unknown) => log(`window state not saved: ${(err as Error).message}`));
  };
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  for (const e of ['resize', 'move', 'maximize', 'unmaximize'] as const) win.on(e as 'resize', later);
  win.on('close', () => {
    if (timer) clearTimeout(timer);
    save();
  });
}
