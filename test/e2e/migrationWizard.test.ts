// The migration wizard in a real browser against `serve`, as a new user would go through it:
// type a folder, scan, see the problems and the preview, start, watch progress, leave the page
// and come back, read the validation and the report; then re-run and archive.
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { ArchiveBuilder } from '../fixtures/migration/archiveBuilder.ts';
import { expectedRows, storedTicks } from '../fixtures/migration/runMigrateCli.ts';
import { makeTempDir } from '../helpers/tempDir.ts';
import { artifactPath, launchBrowser, startServe } from './harness.ts';
import type { ServeHandle } from './harness.ts';

let dataDir: string;
let input: string;
let serve: ServeHandle;
let browser: Browser;
let archive: ArchiveBuilder;

const T0 = Date.UTC(2023, 5, 1) * 1000;

before(async () => {
  dataDir = makeTempDir('e2e-mig-data');
  input = makeTempDir('e2e-mig-in');
  archive = new ArchiveBuilder(input);
  for (let d = 0; d < 6; d++) {
    const day0 = T0 + d * 86_400_000_000;
    const key = new Date(day0 / 1000).toISOString().slice(0, 10);
    archive.legacyArray(`EURUSD/${key}.json`, archive.ticks('EURUSD', day0, 60_000, 1_400_000, 'LP1'));
    archive.legacyArray(
      `GBPUSD/${key}.json.gz`,
      archive.ticks('GBPUSD', day0, 30_000, 2_800_000, 'LP2', 1.25),
      {
        gzip: true,
      },
    );
  }
  archive.write('notes/settings.json', JSON.stringify({ theme: 'dark' }));
  [serve, browser] = await Promise.all([
    startServe({ dataDir, extraArgs: ['--symbols', '2'] }),
    launchBrowser(),
  ]);
});

after(async () => {
  await browser?.close();
  await serve?.stop();
});

test('scan, run with progress, leave and come back, validation, report, archive', async () => {
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  try {
    await page.goto(`${serve.url}#migrate`);
    await page.getByTestId('migration-dir').fill(input);
    await page.getByTestId('migration-scan').click();
    await page.getByTestId('migration-scan-summary').waitFor({ timeout: 30_000 });
    assert.equal(await page.getByTestId('scan-files').textContent(), '13');
    assert.equal(await page.getByTestId('scan-symbols').textContent(), '2');
    assert.equal(await page.getByTestId('scan-days').textContent(), '12');
    assert.match(
      (await page.getByTestId('scan-problems').textContent()) ?? '',
      /notes\/settings\.json.*not a tick file/,
    );
    await page
      .locator('[data-testid="migration-preview"] td', { hasText: '2023-06-01T00:00:00.000000Z' })
      .first()
      .waitFor();

    await page.getByTestId('migration-start').click();
    // Progress arrives as events while the worker migrates.
    await page
      .locator('[data-testid="migration-progress"][data-phase="migrating"]')
      .waitFor({ timeout: 30_000 });
    const rate = await page.getByTestId('run-rate').textContent();
    assert.match(rate ?? '', /\/s$/);

    // Leaving the page does not stop the run; coming back reattaches to it.
    await page.goto(`${serve.url}#live`);
    await page.goto(`${serve.url}#migrate`);
    await page.reload();
    await page.locator('[data-testid="migration-run"], [data-testid="migration-result"]').first().waitFor();

    const result = page.locator('[data-testid="migration-result"]');
    await result.waitFor({ timeout: 120_000 });
    assert.equal(await result.getAttribute('data-outcome'), 'done');
    assert.equal(await page.getByTestId('result-migrated').textContent(), '12');
    assert.equal(await page.getByTestId('result-bad').textContent(), '1');
    assert.equal(await page.getByTestId('migration-validation').getAttribute('data-ok'), 'true');
    assert.match((await page.getByTestId('migration-report').textContent()) ?? '', /report-.*\.txt/);
    assert.match(
      (await page.getByTestId('migration-archive').textContent()) ?? '',
      /needs a passing validation and no bad files/,
    );
    await page.screenshot({ path: await artifactPath('migration-result.png'), fullPage: true });

    // What the wizard reported is what is on disk, value for value.
    const stored = storedTicks(path.join(dataDir, 'sqlite')).filter(
      (r) => !/\|(default|demo)[^|]*$/.test(r) && /^(EURUSD|GBPUSD)\|16/.test(r),
    );
    assert.deepEqual(stored, expectedRows(archive.expected));

    // Without the bad file, a second run skips everything already done and may archive.
    rmSync(path.join(input, 'notes'), { recursive: true });
    await page.getByTestId('migration-new').click();
    assert.equal(await page.getByTestId('migration-dir').inputValue(), input, 'the last folder is kept');
    await page.getByTestId('migration-scan').click();
    await page.getByTestId('migration-start').click();
    await page.locator('[data-testid="migration-result"][data-outcome="done"]').waitFor({ timeout: 120_000 });
    assert.equal(await page.getByTestId('result-bad').textContent(), '0');
    const archiveDir = makeTempDir('e2e-mig-archive');
    await page.getByTestId('archive-dir').fill(archiveDir);
    await page.getByTestId('archive-start').click();
    const archived = page.getByTestId('archive-result');
    await archived.waitFor({ timeout: 60_000 });
    assert.match((await archived.textContent()) ?? '', /12 files packed into/);
    assert.ok(existsSync(path.join(input, 'EURUSD/2023-06-01.json')), 'originals kept unless asked');
  } finally {
    await page.close();
  }
});
