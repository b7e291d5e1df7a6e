// History's "Quality marks" in Chromium: a past day with flaws injected at known instants opens
// in History; with the option on, the chart draws exactly the injected gaps, spikes, crossed and
// locked quotes, regressions and duplicates at their times (read from the chart probe), hovering
// a crossed quote's marker names it with its figures, and filtering to the clean source leaves none.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openTickStore } from '../../electron/engine/tickStore.ts';
import { dayIndexToStartUs, utcDayIndex } from '../../shared/time.ts';
import { injectedDay } from '../unit/quality/injectedDay.ts';
import type { Injected } from '../unit/quality/injectedDay.ts';
import { HISTORY_HOST, openTab, showHistorySymbol } from '../fixtures/explorer/explorerUi.ts';
import { artifactPath, openBrowserSession } from './harness.ts';
import type { BrowserSession } from './harness.ts';
import { pageErrorText } from './pageProbes.ts';

let session: BrowserSession;
let page: Page;
let injected: Injected;
const pageErrors: string[] = [];

async function seed(dir: string): Promise<void> {
  const generated = injectedDay(dayIndexToStartUs(utcDayIndex(Date.now() * 1000) - 2), 6);
  injected = generated.injected;
  const store = await openTickStore({ dataDir: dir });
  try {
    for (const t of generated.ticks) store.ingest(t);
    await store.flush();
  } finally {
    await store.stop();
  }
}

/** renderer/charts/chartProbe.ts's ProbedQualityMark (that file needs the DOM's types, the tests' tsconfig has none). */
interface ProbedQualityMark {
  kind: string;
  atUs: number;
  toUs: number;
  source: string;
  text: string;
  x1: number;
  x2: number;
  y: number;
}

interface QualityProbe {
  marks: ProbedQualityMark[];
  quality: { state: string; marks?: number } | null;
  loading: boolean;
}

async function readQuality(): Promise<QualityProbe | null> {
  return page.evaluate(() => {
    const g = globalThis as unknown as {
      __tickscopeCharts?: Record<
        string,
        { qualityMarks?: () => ProbedQualityMark[]; state: () => Record<string, unknown> }
      >;
    };
    const p = g.__tickscopeCharts?.['history-0'];
    if (!p?.qualityMarks) return null;
    const st = p.state();
    return {
      marks: p.qualityMarks(),
      quality: st.quality as QualityProbe['quality'],
      loading: st.loading as boolean,
    };
  });
}

/** Polls the probe until `until` holds (the page answers in its own time), or fails saying what it saw. */
async function probeUntil(
  what: string,
  until: (q: QualityProbe) => boolean,
  timeoutMs = 30_000,
): Promise<QualityProbe> {
  const start = Date.now();
  let last: QualityProbe | null;
  for (;;) {
    last = await readQuality();
    if (last && until(last)) return last;
    if (Date.now() - start > timeoutMs)
      throw new Error(`timed out waiting for ${what}; last ${JSON.stringify(last?.quality)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const settledQuality = (until: (q: QualityProbe) => boolean) =>
  probeUntil('quality marks drawn', (q) => !q.loading && q.quality?.state === 'shown' && until(q));

before(async () => {
  session = await openBrowserSession({
    tmpPrefix: 'tickscope-e2e-history-quality-',
    extraArgs: ['--feed', 'none'],
    seed,
  });
  await session.ws.call('storage.updateSettings', { compactAfterDays: null });
  page = await session.browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(pageErrorText(e)));
  await page.goto(session.serve.url);
  await openTab(page, 'history');
  await showHistorySymbol(page, 'EURUSD');
});

after(async () => {
  await page?.close();
  await session?.close();
});

test('with Quality marks on, History draws exactly the injected flags at their times', async () => {
  await page.getByTestId('history-quality').check();
  // Marks are drawn for the visible view only. Right after the chart first draws, lightweight-charts
  // can still show its default view (the data's last stretch) for a moment, with just the last
  // gap in it; a CI run read the marks then. So wait for every flag the day has (LP2 adds one gap
  // per silence); the assertions below then check each of them exactly.
  const all =
    Object.values(injected).reduce((n, list: unknown[]) => n + list.length, 0) + injected.gaps.length;
  const q = await settledQuality((x) => x.marks.length >= all);
  const at = (kind: string) =>
    q.marks.filter((m) => m.kind === kind && m.source === 'LP1').map((m) => m.atUs);
  const gapsOf = (source: string) =>
    q.marks
      .filter((m) => m.kind === 'gap' && m.source === source)
      .map((m) => ({ fromUs: m.atUs, toUs: m.toUs }));
  assert.deepEqual(gapsOf('LP1'), injected.gaps);
  assert.deepEqual(at('spike'), injected.spikes);
  assert.deepEqual(at('crossed'), injected.crossed);
  assert.deepEqual(at('locked'), injected.locked);
  assert.deepEqual(at('regression'), injected.regressions);
  assert.deepEqual(at('duplicate'), injected.duplicates);
  // The silences are the whole feed's: LP2, clean otherwise, shows the same stretches as gaps
  // (each a little longer, since it quotes on every fourth LP1 tick only).
  const lp2 = q.marks.filter((m) => m.source === 'LP2');
  assert.deepEqual(
    lp2.map((m) => m.kind),
    injected.gaps.map(() => 'gap'),
  );
  lp2.forEach((m, i) =>
    assert.ok(m.atUs <= injected.gaps[i].fromUs + 10 && m.toUs >= injected.gaps[i].toUs, JSON.stringify(m)),
  );
  const total = Object.values(injected).reduce((n, list: unknown[]) => n + list.length, 0) + lp2.length;
  assert.equal(q.marks.length, total, 'nothing but the injected flags');
  assert.equal(q.quality?.marks, total);
  // Each sits where the axis puts its time.
  const xs = await page.evaluate(
    (list) => {
      const p = (
        globalThis as unknown as { __tickscopeCharts: Record<string, { xOfUs(us: number): number | null }> }
      ).__tickscopeCharts['history-0'];
      return list.map((us) => p.xOfUs(us));
    },
    q.marks.map((m) => m.atUs),
  );
  q.marks.forEach((m, i) => assert.ok(Math.abs(m.x1 - xs[i]!) <= 1, `${m.kind} at x ${m.x1}, axis ${xs[i]}`));
  assert.deepEqual(pageErrors, []);
});

test("hovering a crossed quote's marker names the flag and its figures", async () => {
  const q = await settledQuality((x) => x.marks.length > 0);
  const crossed = q.marks.find((m) => m.kind === 'crossed');
  assert.ok(crossed, JSON.stringify(q.marks));
  const box = await page.locator(HISTORY_HOST).first().boundingBox();
  assert.ok(box, 'the chart has a box');
  await page.mouse.move(box.x + crossed.x1, box.y + crossed.y);
  const tip = page.getByTestId('quality-tooltip');
  await tip.waitFor({ state: 'visible', timeout: 5000 });
  const text = (await tip.textContent()) ?? '';
  await page.screenshot({ path: await artifactPath('history-quality-tooltip.png') });
  assert.match(text, /^crossed quote \(bid above ask\): bid \d\.\d+ ask \d\.\d+/);
  assert.ok(text.includes(crossed.text), `${text} vs ${crossed.text}`);
  assert.match(text, /source LP1/);
  await page.mouse.move(box.x + 5, box.y + box.height - 5);
});

test("the clean source alone shows only the feed's silences; all sources again shows every flag", async () => {
  await page.getByTestId('history-source').selectOption('LP2');
  const clean = await settledQuality((x) => x.marks.every((m) => m.source === 'LP2'));
  assert.deepEqual(
    clean.marks.map((m) => m.kind),
    injected.gaps.map(() => 'gap'),
  );
  assert.equal(clean.quality?.marks, injected.gaps.length);
  await page.getByTestId('history-source').selectOption({ index: 0 });
  await settledQuality((x) => x.marks.some((m) => m.source === 'LP1'));
  await page.getByTestId('history-quality').uncheck();
  await probeUntil(
    'marks cleared when the option is off',
    (q) => q.quality === null && q.marks.length === 0,
    10_000,
  );
  assert.deepEqual(pageErrors, []);
});
