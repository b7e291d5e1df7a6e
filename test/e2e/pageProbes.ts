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

/** One time-axis label as the chart drew it (renderer/charts/timeScale/microsecondScale.ts). */
export interface ProbedLabel {
  index: number;
  timeUs: number;
  weight: number;
  text: string;
}

/** A shaded gap as the chart drew it, with its band in CSS px of the pane. */
export interface ProbedGapBand {
  fromUs: number;
  toUs: number;
  cause: string;
  x1: number;
  x2: number;
}

/** Everything a chart probe (`window.__tickscopeCharts[id]`, renderer/charts/chartProbe.ts) tells. */
export interface ChartSnapshot {
  labels: ProbedLabel[];
  view: { fromUs: number; toUs: number } | null;
  gridStepUs: number;
  shadedGaps: ProbedGapBand[];
  state: Record<string, unknown>;
  /** Width in CSS px of the chart's host element, for placement checks. */
  hostWidth: number;
}

interface ProbeLike {
  labels(): ProbedLabel[];
  view(): { fromUs: number; toUs: number } | null;
  gridStepUs(): number;
  shadedGaps(): ProbedGapBand[];
  xOfUs(us: number): number | null;
  state(): Record<string, unknown>;
}
type ProbeGlobals = { __tickscopeCharts?: Record<string, ProbeLike> };

/** Ids of the charts that publish a probe now ('live', 'history-0'...). */
export async function chartProbeIds(page: Page): Promise<string[]> {
  return page.evaluate(() => Object.keys((globalThis as unknown as ProbeGlobals).__tickscopeCharts ?? {}));
}

/**
 * What chart `id` shows, read in one go through its probe; null while no chart publishes that
 * id. `hostSelector` names the chart's host element (its width is returned with the rest).
 */
export async function readChartProbe(
  page: Page,
  id: string,
  hostSelector?: string,
): Promise<ChartSnapshot | null> {
  return page.evaluate(
    ([probeId, sel]) => {
      const g = globalThis as unknown as ProbeGlobals & {
        document: { querySelector(s: string): { getBoundingClientRect(): { width: number } } | null };
      };
      const p = g.__tickscopeCharts?.[probeId];
      if (!p) return null;
      const host = sel ? g.document.querySelector(sel) : null;
      return {
        labels: p.labels(),
        view: p.view(),
        gridStepUs: p.gridStepUs(),
        shadedGaps: p.shadedGaps(),
        state: p.state(),
        hostWidth: host ? host.getBoundingClientRect().width : 0,
      };
    },
    [id, hostSelector ?? ''] as const,
  );
}

/** CSS x of instants on chart `id` (null for an instant the chart cannot place). */
export async function probeXOfUs(page: Page, id: string, instants: number[]): Promise<(number | null)[]> {
  return page.evaluate(
    ([probeId, list]) => {
      const p = (globalThis as unknown as ProbeGlobals).__tickscopeCharts?.[probeId];
      return list.map((us) => (p ? p.xOfUs(us) : null));
    },
    [id, instants] as const,
  );
}

/** An uncaught page error in one line, with where it was thrown (the bundle's first frames). */
export function pageErrorText(e: Error): string {
  const frames = (e.stack ?? '')
    .split('\n')
    .slice(1, 3)
    .map((l) => l.trim())
    .join(' ');
  return frames ? `${e.message} (${frames})` : e.message;
}
