// The archive tier and retention on the Storage tab (issue 10), tried in Chromium on three past
// days of real Dukascopy ticks: the days show as live, "Compact" on one turns it archived with its
// compression ratio, a retention preview keeping 1 day lists exactly the past days (today is never
// deleted), and applying it removes them from the table; Health counts both.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openTickStore } from '../../electron/engine/tickStore.ts';
import { dayIndexToKey, utcDayIndex } from '../../shared/time.ts';
import { artifactPath, openBrowserSession } from './harness.ts';
import type { BrowserSession } from './harness.ts';
import { pageErrorText, waitForValue } from './pageProbes.ts';
import { readDukascopyRows } from '../fixtures/explorer/seedDukascopy.ts';
import type { DukascopyRow } from '../fixtures/explorer/seedDukascopy.ts';

const DAY_MS = 86_400_000;
/** Real hours of ticks, moved onto recent past days (their time of day kept). */
const SEEDS = [
  { file: 'eurusd-2026-07-13T12.json', symbol: 'EURUSD' },
  { file: 'btcusd-2023-02-20T12.json', symbol: 'BTCUSD' },
];
/** Days before today: recent enough that automatic compaction (7 days by default) leaves them. */
// Retention keeps today and keepDays days before it: with keep 1, yesterday stays, so none is seeded.
const DAYS_AGO = [4, 3, 2];

let session: BrowserSession;
let page: Page;
let pastDays: string[];
const seededTicks = new Map<string, number>();
const pageErrors: string[] = [];

async function seed(dir: string): Promise<void> {
  const today = utcDayIndex(Date.now() * 1000);
  pastDays = DAYS_AGO.map((n) => dayIndexToKey(today - n));
  const store = await openTickStore({ dataDir: dir });
  try {
    for (const { file, symbol } of SEEDS) {
      const rows: DukascopyRow[] = await readDukascopyRows(file);
      const fromDayMs = Math.floor(rows[0][0] / DAY_MS) * DAY_MS;
      for (const [k, n] of DAYS_AGO.entries()) {
        const shiftMs = (today - n) * DAY_MS - fromDayMs;
        for (const [i, [tsMs, ask, bid, askVol, bidVol]] of rows.entries()) {
          const outcome = store.ingest({
            symbol,
            source: 'dukascopy',
            tsUs: Math.round((tsMs + shiftMs) * 1000),
            bid,
            ask,
            bidSize: bidVol,
            askSize: askVol,
          });
          if (outcome === 'accepted') seededTicks.set(pastDays[k], (seededTicks.get(pastDays[k]) ?? 0) + 1);
          if (i % 20_000 === 19_999) await store.whenWritable();
        }
      }
    }
    await store.flush();
  } finally {
    await store.stop();
  }
}

before(async () => {
  session = await openBrowserSession({
    tmpPrefix: 'tickscope-e2e-archive-',
    extraArgs: ['--feed', 'none'],
    seed,
  });
  // Nothing compacts behind the test's back.
  await session.ws.call('storage.updateSettings', { compactAfterDays: null });
  page = await session.browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (e) => pageErrors.push(pageErrorText(e)));
  await page.goto(`${session.serve.url}#storage`);
  await page.getByTestId('days-table').waitFor({ timeout: 15_000 });
});

after(async () => {
  await page?.close();
  await session?.close();
});

const todayKey = () => dayIndexToKey(utcDayIndex(Date.now() * 1000));
const text = async (testId: string) => ((await page.getByTestId(testId).textContent()) ?? '').trim();

test('the seeded past days are listed as live, with their ticks, and no ratio', async () => {
  assert.equal(await page.getByTestId('setting-compactAfterDays').inputValue(), '', 'never automatically');
  // serve opens today's file on start, so today may be listed too (empty: no feed runs).
  const engineDays = await session.ws.call('storage.days', {});
  assert.deepEqual(
    engineDays
      .map((d) => d.day)
      .filter((d) => d !== todayKey())
      .sort(),
    pastDays,
    'the engine lists the seeded days (and at most today besides)',
  );
  if (engineDays.some((d) => d.day === todayKey())) {
    await page.getByTestId(`day-row-${todayKey()}`).waitFor();
    assert.equal(await page.getByTestId(`day-compact-${todayKey()}`).count(), 0, 'today is never compacted');
  }
  for (const day of pastDays) {
    await page.getByTestId(`day-row-${day}`).waitFor();
    assert.equal(await text(`day-tier-${day}`), 'live', `${day} tier`);
    assert.equal(await text(`day-ratio-${day}`), '—', `${day} ratio`);
    const row = await page.getByTestId(`day-row-${day}`).textContent();
    assert.ok(row?.includes(seededTicks.get(day)!.toLocaleString('en-US')), `${day} shows its ticks: ${row}`);
    assert.equal(await page.getByTestId(`day-compact-${day}`).count(), 1, `${day} offers Compact`);
  }
  assert.match(await text('days-archived-share'), /no day archived/);
  const forecast = page.getByTestId('storage-forecast');
  await forecast.getByTestId('forecast-used').waitFor();
  assert.match(await text('forecast-disk-days'), /until the disk is full|Unknown when the disk is full/);
  await page.screenshot({ path: await artifactPath('storage-archive-live.png'), fullPage: true });
});

test('Compact on one past day archives it and shows its compression ratio', async () => {
  const day = pastDays[1];
  await page.getByTestId(`day-compact-${day}`).click();
  await page.getByTestId('compaction-progress').waitFor({ timeout: 10_000 });
  await waitForValue(async () => ((await text(`day-tier-${day}`)) === 'archived' ? true : undefined), {
    timeoutMs: 60_000,
    what: `${day} to show as archived`,
  });
  const info = (await session.ws.call('storage.days', {})).find((d) => d.day === day);
  assert.ok(info && info.tier === 'archived' && info.liveBytes !== null, JSON.stringify(info));
  const ratio = info.liveBytes! / info.bytes;
  assert.ok(ratio > 1, `compaction made ${day} smaller (${info.liveBytes} -> ${info.bytes} bytes)`);
  assert.equal(await text(`day-ratio-${day}`), `${ratio.toFixed(ratio >= 100 ? 0 : 1)}×`);
  // The other days are left as they were, and the run reports itself finished.
  for (const other of pastDays.filter((d) => d !== day))
    assert.equal(await text(`day-tier-${other}`), 'live');
  const progress = page.getByTestId('compaction-progress');
  await page
    .locator('[data-testid="compaction-progress"][data-running="false"]')
    .waitFor({ timeout: 10_000 });
  assert.equal(await progress.getAttribute('data-days-done'), '1');
  assert.match((await progress.textContent()) ?? '', /Finished 1 \/ 1 days/);
  assert.match(await text('days-archived-share'), /^1 of [34] days archived/);
  await page.screenshot({ path: await artifactPath('storage-archive-compacted.png'), fullPage: true });
});

test('retention keeping 1 day previews the past days, then deletes exactly those', async () => {
  await page.getByTestId('retention-keep-days').fill('1');
  await page.getByTestId('retention-max-size').fill('');
  await page.getByTestId('retention-preview').click();
  const plan = page.getByTestId('retention-plan');
  await plan.waitFor({ timeout: 10_000 });
  const rows = plan.locator('[data-testid^="retention-plan-day-"]');
  const listed: [string | null, string | null][] = [];
  for (let i = 0; i < (await rows.count()); i++)
    listed.push([
      await rows.nth(i).getAttribute('data-testid'),
      await rows.nth(i).getAttribute('data-reason'),
    ]);
  assert.deepEqual(
    listed,
    pastDays.map((d) => [`retention-plan-day-${d}`, 'age']),
    'the dry run lists the past days, oldest first, by age',
  );
  assert.match((await page.locator('.retention-panel').textContent()) ?? '', /Today's file is never deleted/);
  for (const day of pastDays) await page.getByTestId(`day-row-${day}`).waitFor(); // nothing deleted yet

  await page.getByTestId('retention-apply').click();
  const confirm = page.getByTestId('retention-confirm');
  await confirm.waitFor({ timeout: 5000 });
  assert.match((await confirm.textContent()) ?? '', /Delete 3 days/);
  await page.screenshot({ path: await artifactPath('storage-retention-confirm.png'), fullPage: true });
  await page.getByTestId('retention-confirm-accept').click();
  const result = page.getByTestId('retention-result');
  await result.waitFor({ timeout: 30_000 });
  assert.equal(await result.getAttribute('data-days'), '3');
  for (const day of pastDays)
    await page.getByTestId(`day-row-${day}`).waitFor({ state: 'detached', timeout: 10_000 });
  assert.deepEqual(
    (await session.ws.call('storage.days', {})).map((d) => d.day).filter((d) => d !== todayKey()),
    [],
    'the engine lists no past day any more',
  );
  await page.screenshot({ path: await artifactPath('storage-retention-applied.png'), fullPage: true });
});

test('Health counts the compaction and the deletion', async () => {
  const stats = await session.ws.call('storage.stats', {});
  assert.equal(stats.compacted_days, 1);
  assert.equal(stats.retention_deleted_days, 3);
  assert.equal(
    stats.retention_deleted_ticks,
    [...seededTicks.values()].reduce((a, b) => a + b, 0),
  );
  await page.getByTestId('tab-health').click();
  await page.getByTestId('health-card-archive').waitFor();
  // The tab shows the 1 s stats push: wait for one carrying the counts.
  await waitForValue(async () => ((await text('stat-retention_deleted_days')) === '3' ? true : undefined), {
    timeoutMs: 5000,
    what: 'the retention counter on Health',
  });
  assert.equal(await text('stat-compacted_days'), '1');
  assert.equal(await text('stat-compaction_failures'), '0');
  const cardValue = (id: string) =>
    page.getByTestId(`health-card-${id}`).locator('.card-value').textContent();
  assert.equal(await cardValue('archive'), '1 day');
  assert.equal(await cardValue('retention'), '3 days deleted');
  assert.deepEqual(pageErrors, [], 'uncaught errors in the page');
});
