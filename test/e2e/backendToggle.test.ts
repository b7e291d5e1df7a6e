// The backend toggle in the UI changes what is written on disk: JSON day files appear and grow
// while JSON is selected, and stop growing when SQLite is selected again. JSON-only is never one
// click away (History would miss those ticks): it asks first, and the period it covered is named.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { utcDayKey } from '../../shared/time.ts';
import { artifactPath, openBrowserSession } from './harness.ts';
import type { BrowserSession } from './harness.ts';

let session: BrowserSession;

before(async () => {
  session = await openBrowserSession({ tmpPrefix: 'tickscope-e2e-backend-', extraArgs: ['--symbols', '3'] });
});

after(() => session?.close());

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function jsonBytes(symbols: string[]): Promise<number> {
  let total = 0;
  const day = utcDayKey(Date.now() * 1000);
  for (const s of symbols) {
    const f = path.join(session.dataDir, 'json', s, `${day}.json`);
    if (existsSync(f)) total += (await stat(f)).size;
  }
  return total;
}

/** Bytes of today's SQLite day file with its WAL, where appended ticks land first. */
async function sqliteDayBytes(): Promise<number> {
  const now = new Date();
  const dir = path.join(
    session.dataDir,
    'sqlite',
    String(now.getUTCFullYear()),
    String(now.getUTCMonth() + 1).padStart(2, '0'),
  );
  if (!existsSync(dir)) return 0;
  const day = utcDayKey(Date.now() * 1000);
  let total = 0;
  for (const f of await readdir(dir))
    if (f.startsWith(`ticks_${day}.db`)) total += (await stat(path.join(dir, f))).size;
  return total;
}

async function choose(page: Page, backend: 'sqlite' | 'json'): Promise<void> {
  await page.getByTestId(`backend-toggle-${backend}`).click();
  if (backend === 'json') {
    const confirm = page.getByTestId('confirm-json-only');
    await confirm.waitFor({ timeout: 5000 });
    assert.match((await confirm.textContent()) ?? '', /History reads the SQLite day files/);
    await page.getByTestId('confirm-json-only-accept').click();
  }
  await page.locator(`[data-testid="backend-current"][data-backend="${backend}"]`).waitFor({ timeout: 5000 });
}

test('switching to JSON writes JSON day files; switching back stops them', async () => {
  const status = await session.ws.call('recording.status', {});
  const symbols = status.symbols;
  assert.equal(symbols.length, 3);
  const page = await session.browser.newPage({ viewport: { width: 1300, height: 850 } });
  await page.goto(`${session.serve.url}#storage`);
  await page.getByTestId('backend-toggle-json').waitFor();
  assert.equal(await jsonBytes(symbols), 0, 'no JSON before switching');

  // Cancelling the confirmation changes nothing.
  await page.getByTestId('backend-toggle-json').click();
  await page.getByTestId('confirm-json-only').waitFor({ timeout: 5000 });
  await page.screenshot({ path: await artifactPath('backend-json-confirm.png') });
  await page.getByTestId('confirm-json-only-cancel').click();
  assert.equal(await page.getByTestId('confirm-json-only').count(), 0);
  assert.equal(await page.getByTestId('backend-current').getAttribute('data-backend'), 'sqlite');
  assert.equal(
    (await session.ws.call('storage.stats', {})).backend,
    'sqlite',
    'cancel left the backend alone',
  );
  assert.deepEqual(await session.ws.call('storage.jsonOnlyPeriods', {}), []);

  await choose(page, 'json');
  const files = symbols.map((s) =>
    path.join(session.dataDir, 'json', s, `${utcDayKey(Date.now() * 1000)}.json`),
  );
  const end = Date.now() + 5000;
  while (!files.some((f) => existsSync(f)) && Date.now() < end) await wait(100);
  assert.ok(
    files.some((f) => existsSync(f)),
    `no JSON day file appeared in ${path.join(session.dataDir, 'json')}`,
  );
  const j1 = await jsonBytes(symbols);
  await wait(1500);
  const j2 = await jsonBytes(symbols);
  assert.ok(j2 > j1, `JSON files do not grow (${j1} -> ${j2} bytes)`);
  await page.screenshot({ path: await artifactPath('backend-json.png') });

  await choose(page, 'sqlite');
  await wait(500); // the switch applies at the next batch; let it settle
  const statsA = await session.ws.call('storage.stats', {});
  const j3 = await jsonBytes(symbols);
  const s3 = await sqliteDayBytes();
  await wait(2000);
  const statsB = await session.ws.call('storage.stats', {});
  const j4 = await jsonBytes(symbols);
  const s4 = await sqliteDayBytes();
  console.log(
    `backend toggle: JSON ${j1} -> ${j2} B under json, ${j3} -> ${j4} B under sqlite; day file ${s3} -> ${s4} B`,
  );
  assert.equal(j4, j3, 'JSON files still grow after switching back to SQLite');
  assert.equal(statsB.json_ticks_written, statsA.json_ticks_written);
  assert.ok(statsB.ticks_written > statsA.ticks_written, 'SQLite is not being written');
  assert.ok(s4 > s3, `the SQLite day file does not grow (${s3} -> ${s4} bytes)`);

  // The JSON-only period is recorded, closed, and named on the Storage tab with its tick count.
  const periods = await session.ws.call('storage.jsonOnlyPeriods', {});
  assert.equal(periods.length, 1, JSON.stringify(periods));
  assert.ok(periods[0].toUs !== null && periods[0].toUs > periods[0].fromUs, 'closed when SQLite came back');
  assert.ok(periods[0].ticks > 0, 'ticks were counted meanwhile');
  const notice = page.getByTestId('json-only-period');
  await notice.waitFor({ timeout: 5000 });
  assert.equal(Number(await notice.getAttribute('data-ticks')), periods[0].ticks);
  assert.match((await notice.textContent()) ?? '', /were recorded while the backend was JSON-only/);
  await page.screenshot({ path: await artifactPath('backend-json-only-period.png') });
  await page.close();
});
