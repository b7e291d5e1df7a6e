// Export from the browser as a user would: History's Export… of the visible view as CSV and a
// Storage day as JSON Lines come back as downloads holding exactly the seeded ticks of the range.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openTickStore } from '../../electron/engine/tickStore.ts';
import { openBrowserSession } from './harness.ts';
import type { BrowserSession } from './harness.ts';

const DAY = '2024-03-05';
const START_US = Date.parse(`${DAY}T10:00:00Z`) * 1000;
const TICKS = 7200;
const BIG_DAY = '2024-03-01';
let session: BrowserSession;

before(async () => {
  session = await openBrowserSession({
    tmpPrefix: 'tickscope-e2e-export-',
    extraArgs: ['--feed', 'none'],
    seed: async (dir) => {
      const store = await openTickStore({ dataDir: dir });
      try {
        for (let i = 0; i < TICKS; i++) {
          const bid = Math.round((1.085 + (i % 13) * 0.00001) * 1e5) / 1e5;
          store.ingest({ symbol: 'EURUSD', tsUs: START_US + i * 1_000_000, bid, ask: bid + 0.0001 });
        }
        // A bigger day, so its export is still running when Cancel is pressed.
        const bigUs = Date.parse(`${BIG_DAY}T00:00:00Z`) * 1000;
        for (let i = 0; i < 400_000; i++) {
          store.ingest({ symbol: 'BIG', tsUs: bigUs + i * 100_000, bid: 1.2, ask: 1.2002 });
          if (i % 50_000 === 0) await store.whenWritable();
        }
        await store.flush();
      } finally {
        await store.stop();
      }
    },
  });
});

after(() => session?.close());

async function exportAndDownload(page: Page): Promise<string> {
  const downloading = page.waitForEvent('download', { timeout: 30_000 });
  await page.getByTestId('export-start').click();
  const download = await downloading;
  const file = await download.path();
  await page.locator('[data-testid="export-progress"][data-state="done"]').waitFor({ timeout: 30_000 });
  return readFile(file, 'utf8');
}

/** The span History's first chart shows, as it publishes it on its host. */
async function chartView(page: Page): Promise<{ fromUs: number; toUs: number } | null> {
  const host = page.getByTestId('history-chart').first();
  const from = await host.getAttribute('data-view-from-us');
  const to = await host.getAttribute('data-view-to-us');
  return from !== null && to !== null ? { fromUs: Number(from), toUs: Number(to) } : null;
}

async function settledView(page: Page, what: string, ok: (v: { fromUs: number; toUs: number }) => boolean) {
  let last: { fromUs: number; toUs: number } | null = null;
  let same = 0;
  const deadline = Date.now() + 20_000;
  // Settled: the same view read three times in a row, 150 ms apart.
  while (Date.now() < deadline) {
    const v = await chartView(page);
    same = v && last && v.fromUs === last.fromUs && v.toUs === last.toUs && ok(v) ? same + 1 : 0;
    last = v;
    if (same >= 2) return v!;
    await page.waitForTimeout(150);
  }
  throw new Error(`${what}: the chart's view did not settle (last ${JSON.stringify(last)})`);
}

test('History Export… as CSV downloads exactly the ticks of the visible view', async () => {
  const page = await session.browser.newPage();
  try {
    await page.goto(`${session.serve.url}#history`);
    // EURUSD opens on its own last day: the seeded 2 h of ticks. Zoomed in, the chart shows a part.
    await page.getByTestId('history-symbol').selectOption('EURUSD');
    const whole = await settledView(page, 'the day drawn', () => true);
    await page.getByTestId('history-chart').first().focus();
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    const view = await settledView(
      page,
      'zoomed in',
      (v) => v.toUs - v.fromUs < (whole.toUs - whole.fromUs) * 0.6,
    );
    await page.getByTestId('history-export').click();
    await page.getByTestId('export-dialog').waitFor();
    const text = await exportAndDownload(page);
    const lines = text.trim().split('\n');
    assert.equal(lines[0]!.split(',')[0], 'time');
    const times = lines.slice(1).map((l) => Date.parse(l.split(',')[0]!));
    // The published view is rounded to whole µs; the ticks sit on whole seconds.
    const expected = Array.from({ length: TICKS }, (_, i) => START_US / 1000 + i * 1000).filter(
      (ms) => ms * 1000 >= Math.ceil(view.fromUs) && ms * 1000 < view.toUs,
    );
    assert.ok(expected.length > 100 && expected.length < TICKS, `${expected.length} ticks in view`);
    assert.deepEqual(times, expected);
    await page.getByTestId('export-close').click();
    await page.getByTestId('export-dialog').waitFor({ state: 'detached' });
  } finally {
    await page.close();
  }
});

test('a Storage day exported as JSON Lines has one line per stored tick of the day', async () => {
  const page = await session.browser.newPage();
  try {
    await page.goto(`${session.serve.url}#storage`);
    await page.getByTestId(`day-export-${DAY}`).click();
    await page.getByTestId('export-format').selectOption('jsonl');
    const text = await exportAndDownload(page);
    const rows = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(rows.length, TICKS);
    assert.ok(rows.every((r) => r.symbol === 'EURUSD'));
  } finally {
    await page.close();
  }
});

test('Cancel on a running day export shows cancelled and downloads nothing', async () => {
  const page = await session.browser.newPage();
  let downloads = 0;
  page.on('download', () => downloads++);
  try {
    await page.goto(`${session.serve.url}#storage`);
    await page.getByTestId(`day-export-${BIG_DAY}`).click();
    await page.getByTestId('export-format').selectOption('jsonl');
    await page.getByTestId('export-start').click();
    await page.getByTestId('export-cancel').click({ timeout: 10_000 });
    await page
      .locator('[data-testid="export-progress"][data-state="cancelled"]')
      .waitFor({ timeout: 30_000 });
    assert.match((await page.getByTestId('export-progress').textContent()) ?? '', /cancelled/);
    await page.getByTestId('export-close').click();
    await page.getByTestId('export-dialog').waitFor({ state: 'detached' });
    assert.equal(downloads, 0);
  } finally {
    await page.close();
  }
});
