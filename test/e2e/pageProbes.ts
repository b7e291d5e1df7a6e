// What the browser tests read from the page: whether a chart canvas has something drawn on it,
// and how fast animation frames come.
import type { Page } from 'playwright-core';

// These functions run in the page; the project's Node typings have no DOM, so the few browser
// types used are spelled out here.
interface Canvas2d {
  width: number;
  height: number;
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}
interface PageGlobals {
  document: { querySelectorAll(selector: string): Iterable<Canvas2d> };
  requestAnimationFrame(cb: (t: number) => void): number;
}

/** Distinct colours among sampled pixels of the canvases inside `selector` (a blank chart has 1-2). */
export async function canvasColourCount(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const colours = new Set<string>();
    const { document } = globalThis as unknown as PageGlobals;
    for (const canvas of document.querySelectorAll(`${sel} canvas`)) {
      const ctx = canvas.getContext('2d');
      if (!ctx || canvas.width === 0 || canvas.height === 0) continue;
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      const step = 4 * 7; // every 7th pixel is plenty and fast
      for (let i = 0; i < data.length; i += step) {
        colours.add(`${data[i] >> 3},${data[i + 1] >> 3},${data[i + 2] >> 3},${data[i + 3] >> 4}`);
      }
    }
    return colours.size;
  }, selector);
}

/** requestAnimationFrame callbacks per second over `ms`. */
export async function measureFps(page: Page, ms: number): Promise<number> {
  return page.evaluate(
    (windowMs) =>
      new Promise<number>((resolve) => {
        const { requestAnimationFrame } = globalThis as unknown as PageGlobals;
        let frames = 0;
        let start = -1;
        const frame = (t: number) => {
          if (start < 0) start = t;
          else frames++;
          if (t - start < windowMs) requestAnimationFrame(frame);
          else resolve((frames * 1000) / (t - start));
        };
        requestAnimationFrame(frame);
      }),
    ms,
  );
}

/** `document.body.dataset` of the page, for the hooks the renderer publishes for tests. */
export async function bodyData(page: Page, key: string): Promise<string | undefined> {
  return page.evaluate(
    (k) =>
      (globalThis as unknown as { document: { body: { dataset: Record<string, string> } } }).document.body
        .dataset[k],
    key,
  );
}

export async function clearBodyData(page: Page, key: string): Promise<void> {
  await page.evaluate((k) => {
    delete (globalThis as unknown as { document: { body: { dataset: Record<string, string> } } }).document
      .body.dataset[k];
  }, key);
}

/**
 * Polls `probe` every `everyMs` until it returns something other than undefined, and returns
 * that; fails after `timeoutMs` naming `what` was awaited.
 */
export async function waitForValue<T>(
  probe: () => Promise<T | undefined>,
  o: { timeoutMs: number; what: string; everyMs?: number },
): Promise<T> {
  const end = Date.now() + o.timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${o.timeoutMs} ms waiting for ${o.what}`);
    await new Promise((r) => setTimeout(r, o.everyMs ?? 100));
  }
}

/** Every WebSocket frame the page sends and receives, from now on (attach before `goto`). */
export function recordWsFrames(page: Page): { sent: string[]; received: string[] } {
  const frames = { sent: [] as string[], received: [] as string[] };
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => frames.sent.push(String(f.payload)));
    ws.on('framereceived', (f) => frames.received.push(String(f.payload)));
  });
  return frames;
}
