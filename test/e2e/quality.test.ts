// Storage's Quality panel in Chromium: a past day with injected flaws is checked from the page,
// the table shows exactly the injected counts, and "Download CSV" saves the same figures.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openTickStore } from '../../electron/engine/tickStore.ts';
import { dayIndexToKey, dayIndexToStartUs, utcDayIndex } from '../../shared/time.ts';
import { injectedDay } from '../unit/quality/injectedDay.ts';
import type { Injected } from '../unit/quality/injectedDay.ts';
import { openBrowserSession } from './harness.ts';
import type { BrowserSession } from './harness.ts';
import { pageErrorText } from './pageProbes.ts';

let session: BrowserSession;
let page: Page;
let day = '';
let injected: Injected;
const pageErrors: string[] = [];

async function seed(dir: string): Promise<void> {
  const index = utcDayIndex(Date.now() * 1000) - 2;
  day = dayIndexToKey(index);
  const generated = injectedDay(dayIndexToStartUs(index), 6);
  injected = generated.injected;
  const store = await openTickStore({ dataDir: dir });
  try {
    for (const t of generated.ticks) store.ingest(t);
    await store.flush();
  } finally {
    await store.stop();
  }
}

before(async () => {
  session = await openBrowserSession({
    tmpPrefix: 'tickscope-e2e-quality-',
    extraArgs: ['--feed', 'none'],
    seed,
  });
  await session.ws.call('storage.updateSettings', { compactAfterDays: null });
  page = await session.browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  page.on('pageerror', (e) => pageErrors.push(pageErrorText(e)));
  await page.goto(`${session.serve.url}#storage`);
  await page.getByLabel('Quality day').waitFor({ timeout: 15_000 });
});

after(async () => {
  await page?.close();
  await session?.close();
});

test('checking the day shows exactly the injected flaws, and the CSV download carries them', async () => {
  await page.getByLabel('Quality day').selectOption(day);
  await page.getByRole('button', { name: 'Check day' }).click();
  const row = page.locator('.quality-table tr[data-symbol="EURUSD"][data-source="LP1"]');
  await row.waitFor({ timeout: 30_000 });
  const figure = async (name: string) => Number(await row.locator(`[data-figure="${name}"]`).textContent());
  assert.deepEqual(
    {
      gaps: await figure('gaps'),
      crossed: await figure('crossed'),
      locked: await figure('locked'),
      spikes: await figure('spikes'),
      regressions: await figure('regressions'),
      duplicates: await figure('duplicates'),
    },
    {
      gaps: injected.gaps.length,
      crossed: injected.crossed.length,
      locked: injected.locked.length,
      spikes: injected.spikes.length,
      regressions: injected.regressions.length,
      duplicates: injected.duplicates.length,
    },
  );
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download CSV' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `quality-${day}.csv`);
  const csv = await readFile((await download.path())!, 'utf8');
  const [header, ...lines] = csv.trimEnd().split('\n');
  const cols = header.split(',');
  const lp1 = lines.find((l) => l.includes(',EURUSD,LP1,'))!.split(',');
  assert.equal(Number(lp1[cols.indexOf('crossed')]), injected.crossed.length);
  assert.equal(Number(lp1[cols.indexOf('regressions')]), injected.regressions.length);
  assert.deepEqual(pageErrors, []);
});
