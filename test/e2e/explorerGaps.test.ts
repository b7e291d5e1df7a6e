// A gap is a gap (issue 9, acceptance): in real Dukascopy ticks of 2022-05-27 an instrument priced
// near 7,190 is silent for 116 s from 07:45:27.697 to 07:47:23.723 UTC. History shades exactly that
// span, as wide as 116 s on the proportional axis, and hovering it explains it, in the zone picked.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { artifactPath, openBrowserSession } from './harness.ts';
import type { BrowserSession } from './harness.ts';
import { pageErrorText, probeXOfUs } from './pageProbes.ts';
import type { ChartSnapshot } from './pageProbes.ts';
import {
  applyHistoryRange,
  describeSnapshot,
  HISTORY_HOST,
  openTab,
  setZone,
  showHistorySymbol,
  waitForSettledChart,
} from '../fixtures/explorer/explorerUi.ts';
import { isoUs } from '../fixtures/explorer/intlClock.ts';
import { readDukascopyRows, seedDukascopy } from '../fixtures/explorer/seedDukascopy.ts';

const SYMBOL = 'GAPIDX';
const FILE = 'gaps-2022-05-27T07.json';
const GAP_FROM = isoUs('2022-05-27T07:45:27.697Z');
const GAP_TO = isoUs('2022-05-27T07:47:23.723Z');
const GAP_S = (GAP_TO - GAP_FROM) / 1e6;

let session: BrowserSession;
let page: Page;
let ticksUs: number[];
const pageErrors: string[] = [];

before(async () => {
  ticksUs = (await readDukascopyRows(FILE)).map((r) => Math.round(r[0] * 1000));
  session = await openBrowserSession({
    tmpPrefix: 'tickscope-e2e-gaps-',
    extraArgs: ['--feed', 'none'],
    seed: async (dir) => {
      await seedDukascopy(dir, [{ file: FILE, symbol: SYMBOL, source: 'dukascopy' }]);
    },
  });
  const context = await session.browser.newContext({ viewport: { width: 1400, height: 850 } });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(pageErrorText(e)));
  await page.goto(session.serve.url);
  await openTab(page, 'history');
  await showHistorySymbol(page, SYMBOL);
});

after(async () => {
  await page?.context().close();
  await session?.close();
});

/** The shaded gap that is the 116 s outage, to the ms; fails listing what is shaded otherwise. */
function theGap(s: ChartSnapshot) {
  const g = s.shadedGaps.find(
    (x) => Math.abs(x.fromUs - GAP_FROM) <= 1000 && Math.abs(x.toUs - GAP_TO) <= 1000,
  );
  assert.ok(
    g,
    `no shaded gap 07:45:27.697-07:47:23.723 UTC; ${describeSnapshot(s)}: ${JSON.stringify(s.shadedGaps)}`,
  );
  return g;
}

const VIEWS: Array<[string, string, string]> = [
  ['ten minutes', '2022-05-27T07:40:00Z', '2022-05-27T07:50:00Z'],
  ['the hour', '2022-05-27T07:00:00Z', '2022-05-27T08:00:00Z'],
];

for (const [name, a, b] of VIEWS) {
  test(`over ${name}, the 116 s gap is shaded as wide as 116 s, and only silent spans are shaded`, async () => {
    await setZone(page, 'utc');
    const range = { fromUs: isoUs(a), toUs: isoUs(b) };
    await applyHistoryRange(page, range.fromUs, range.toUs, 'UTC');
    const s = await waitForSettledChart(page, {
      symbol: SYMBOL,
      range,
      until: (x) => x.shadedGaps.length > 0,
    });
    const g = theGap(s);
    const view = s.view!;
    const [xFrom, xTo, xGapFrom, xGapTo] = await probeXOfUs(page, 'history-0', [
      view.fromUs,
      view.toUs,
      GAP_FROM,
      GAP_TO,
    ]);
    assert.ok(
      xFrom !== null && xTo !== null && xGapFrom !== null && xGapTo !== null,
      'the chart places the view and the gap',
    );
    const pxPerS = (xTo - xFrom) / ((view.toUs - view.fromUs) / 1e6);
    const expectedPx = GAP_S * pxPerS;
    const band = g.x2 - g.x1;
    console.log(
      `explorer gaps (${name}): band ${g.x1.toFixed(1)}-${g.x2.toFixed(1)} px = ${band.toFixed(1)} px, ${GAP_S} s at ${pxPerS.toFixed(3)} px/s = ${expectedPx.toFixed(1)} px; cause ${g.cause}; ${s.shadedGaps.length} gaps shaded`,
    );
    assert.ok(
      Math.abs(band - expectedPx) <= 0.15 * expectedPx + 2,
      `band ${band} px, 116 s is ${expectedPx} px here`,
    );
    assert.ok(
      Math.abs(g.x1 - xGapFrom) <= 3 && Math.abs(g.x2 - xGapTo) <= 3,
      'the band sits where the gap is on the axis',
    );
    assert.ok(g.cause.trim().length > 0, 'the gap names a cause');
    for (const other of s.shadedGaps) {
      const inside = ticksUs.filter((t) => t > other.fromUs && t < other.toUs);
      assert.deepEqual(inside, [], `a shaded gap ${other.fromUs}..${other.toUs} holds ticks`);
    }
    await page.screenshot({ path: await artifactPath(`explorer-gap-116s-${name.replace(/\s+/g, '-')}.png`) });
  });
}

for (const [zoneId, shown] of [
  ['utc', ['07:45:27.697', '07:47:23.723']],
  ['UTC+02:00', ['09:45:27.697', '09:47:23.723']],
] as const) {
  test(`hovering the gap explains it in ${zoneId}: from, to, duration`, async () => {
    await setZone(page, zoneId);
    const range = { fromUs: isoUs('2022-05-27T07:00:00Z'), toUs: isoUs('2022-05-27T08:00:00Z') };
    await applyHistoryRange(page, range.fromUs, range.toUs, zoneId === 'utc' ? 'UTC' : 'Etc/GMT-2');
    const s = await waitForSettledChart(page, {
      symbol: SYMBOL,
      range,
      until: (x) => x.shadedGaps.length > 0,
    });
    const g = theGap(s);
    const box = await page.locator(HISTORY_HOST).first().boundingBox();
    assert.ok(box, 'the chart has a box');
    const tooltip = page.getByTestId('gap-tooltip');
    await page.mouse.move(box.x + (g.x1 + g.x2) / 2, box.y + box.height / 3);
    await tooltip.waitFor({ state: 'visible', timeout: 3000 });
    const text = (await tooltip.textContent()) ?? '';
    await page.screenshot({
      path: await artifactPath(`explorer-gap-tooltip-${zoneId.replace(/[^A-Za-z0-9]/g, '_')}.png`),
    });
    console.log(`explorer gaps: tooltip in ${zoneId}: ${text.replace(/\s+/g, ' ')}`);
    for (const t of shown) assert.ok(text.includes(t), `the tooltip says ${t}: ${text}`);
    assert.match(text, /1 min 56(\.0\d*)? s|116(\.\d+)? s|1:56/, 'the tooltip gives the duration');
    // Away from every gap the tooltip goes.
    const [xQuiet] = await probeXOfUs(page, 'history-0', [isoUs('2022-05-27T07:30:00Z')]);
    const quietGap = s.shadedGaps.some((x) => xQuiet !== null && xQuiet >= x.x1 - 4 && xQuiet <= x.x2 + 4);
    if (xQuiet !== null && !quietGap) {
      await page.mouse.move(box.x + xQuiet, box.y + box.height / 3);
      await tooltip.waitFor({ state: 'hidden', timeout: 3000 });
    }
  });
}

test('the page threw no uncaught error', () => {
  assert.deepEqual(pageErrors, []);
});
