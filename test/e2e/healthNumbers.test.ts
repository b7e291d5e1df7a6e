// The Health tab shows the engine's own numbers. Recording is stopped first so the counters are
// static, then every counter on screen is compared with storage.stats over the WebSocket.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { StorageStats } from '../../shared/stats.ts';
import { artifactPath, openBrowserSession } from './harness.ts';
import type { BrowserSession } from './harness.ts';

let session: BrowserSession;

before(async () => {
  session = await openBrowserSession({ tmpPrefix: 'tickscope-e2e-health-' });
});

after(() => session?.close());

const COUNTERS: Array<keyof StorageStats> = [
  'backend',
  'ticks_received',
  'ticks_stored',
  'ticks_rejected',
  'ticks_throttled',
  'ticks_written',
  'ticks_duplicate',
  'json_ticks_written',
  'write_errors',
  'queue_size',
  'queue_capacity',
  'batches_written',
  'ticks_spilled',
  'db_rotations',
  'data_dir',
];

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('the counters on the Health tab equal the engine stats', async () => {
  await wait(1500); // record something first
  await session.ws.call('recording.stop', {});
  // Wait until everything accepted is written, so the numbers stop moving.
  let stats = await session.ws.call('storage.stats', {});
  for (let i = 0; i < 50 && (stats.queue_size > 0 || stats.ticks_written < stats.ticks_stored); i++) {
    await wait(100);
    stats = await session.ws.call('storage.stats', {});
  }
  assert.ok(stats.ticks_stored > 0, 'nothing was recorded');
  assert.equal(stats.ticks_written, stats.ticks_stored);

  const page = await session.browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(`${session.serve.url}#health`);
  await page.getByTestId('stat-ticks_written').waitFor();
  // The page refreshes from the 1 s stats event: let one arrive after the numbers settled.
  await wait(1300);
  stats = await session.ws.call('storage.stats', {});
  const shown: Record<string, string> = {};
  for (const k of COUNTERS) shown[k] = (await page.getByTestId(`stat-${k}`).textContent()) ?? '';
  const expected = Object.fromEntries(COUNTERS.map((k) => [k, String(stats[k])]));
  await page.screenshot({ path: await artifactPath('health-numbers.png'), fullPage: true });
  assert.deepEqual(shown, expected);

  const health = await session.ws.call('storage.health', {});
  assert.equal(await page.getByTestId('health-status').getAttribute('data-status'), health.status);
  console.log(`health: ${stats.ticks_written} ticks written shown and reported; status ${health.status}`);
  await page.close();
});
