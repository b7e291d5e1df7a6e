// Replay in the Live view, in Chromium: 300 recorded ticks of one symbol over 30 s (and another
// symbol interleaved that must not show) seeded before serve starts with no feed, so nothing live
// mixes in. A 100x replay from the first tick delivers exactly the recorded ticks, in order, with
// their bids, under a REPLAY badge, an orange frame and a "REPLAY · " title that Stop removes;
// paused, Step adds exactly the next tick; a seek restarts the chart at the sought tick.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openTickStore } from '../../electron/engine/tickStore.ts';
import { artifactPath, openBrowserSession } from './harness.ts';
import type { BrowserSession } from './harness.ts';
import { pageErrorText, readChartProbe } from './pageProbes.ts';

const SYMBOL = 'RPLAYUSD';
const OTHER = 'OTHERUSD';
const T0_US = Date.UTC(2026, 10, 30, 10, 0, 0) * 1000;
const TICKS = 300;
const STEP_US = 100_000;
const START_TEXT = '2026-11-30 10:00:00';

const recorded: { tsUs: number; bid: number }[] = [];
for (let i = 0; i < TICKS; i++) {
  // Uneven spacing (never two in one µs), so order and exact times are both checked.
  const tsUs = T0_US + i * STEP_US + ((i * 7919) % 50_000);
  recorded.push({ tsUs, bid: Math.round((1.2 + i * 0.00001) * 1e5) / 1e5 });
}

let session: BrowserSession;

before(async () => {
  session = await openBrowserSession({
    tmpPrefix: 'tickscope-e2e-replay-',
    extraArgs: ['--feed', 'none'],
    seed: async (dir) => {
      const store = await openTickStore({ dataDir: dir });
      try {
        for (const [i, t] of recorded.entries()) {
          store.ingest({
            symbol: SYMBOL,
            source: 'LP-A',
            tsUs: t.tsUs,
            bid: t.bid,
            ask: Math.round((t.bid + 0.0001) * 1e5) / 1e5,
          });
          if (i % 10 === 0) store.ingest({ symbol: OTHER, tsUs: t.tsUs + 1, bid: 0.9, ask: 0.9001 });
        }
        await store.flush();
      } finally {
        await store.stop();
      }
    },
  });
});

after(() => session?.close());

interface ReplayProbe {
  active: boolean;
  clockUs: number | null;
  ticks: number;
  lastTsUs: number | null;
  tsUs: number[];
  bid: number[];
}

async function probe(page: Page): Promise<ReplayProbe | null> {
  const snap = await readChartProbe(page, 'live');
  return (snap?.state.replay as ReplayProbe | undefined) ?? null;
}

async function waitProbe(page: Page, ok: (p: ReplayProbe) => boolean, what: string, ms = 15_000) {
  let last: ReplayProbe | null = null;
  for (const until = Date.now() + ms; Date.now() < until; await page.waitForTimeout(50)) {
    last = await probe(page);
    if (last && ok(last)) return last;
  }
  throw new Error(`${what}: probe never got there (last: ${last ? `${last.ticks} ticks` : 'none'})`);
}

async function openLive(): Promise<{ page: Page; errors: string[] }> {
  const page = await session.browser.newPage({ viewport: { width: 1400, height: 850 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(pageErrorText(e)));
  await page.goto(session.serve.url);
  await page.getByTestId('replay-bar').waitFor({ timeout: 10_000 });
  await page
    .locator(`[data-testid="replay-symbol"] option[value="${SYMBOL}"]`)
    .waitFor({ state: 'attached' });
  await page.getByTestId('replay-symbol').selectOption(SYMBOL);
  await page.getByTestId('replay-from').fill(START_TEXT);
  return { page, errors };
}

const badge = (page: Page) => page.getByTestId('replay-badge');
const frame = (page: Page) => page.locator('[data-testid="live-chart-panel"].replay-frame');

test('a 100x replay shows exactly the recorded ticks in order, marked as a replay until Stop', async () => {
  const { page, errors } = await openLive();
  const baseTitle = await page.title();
  assert.ok(!baseTitle.startsWith('REPLAY'), `live title ${baseTitle}`);
  await page.getByTestId('replay-speed-100').click();
  const t0 = Date.now();
  await page.getByTestId('replay-start').click();

  await badge(page).waitFor({ timeout: 5000 });
  await frame(page).waitFor({ timeout: 5000 });
  assert.equal(await page.title(), `REPLAY · ${baseTitle}`);
  assert.match((await badge(page).textContent()) ?? '', /REPLAY/);
  assert.equal(await page.getByTestId('replay-badge-speed').textContent(), '100x');
  assert.equal(await page.locator('[data-testid="live-chart"]').getAttribute('data-replay'), 'true');

  await page.locator('[data-testid="replay-badge"][data-phase="ended"]').waitFor({ timeout: 20_000 });
  const endedMs = Date.now() - t0;
  const p = await waitProbe(page, (q) => q.ticks >= TICKS, 'all ticks drawn');
  await page.screenshot({ path: await artifactPath('replay-ended.png') });
  console.log(`replay at 100x: ${p.ticks} ticks, ended ${endedMs} ms after Replay (30 s recorded)`);
  assert.equal(p.active, true);
  assert.deepEqual(
    p.tsUs,
    recorded.map((t) => t.tsUs),
    'the recorded tsUs, in order',
  );
  assert.deepEqual(
    p.bid,
    recorded.map((t) => t.bid),
    'the recorded bids',
  );
  assert.equal(p.lastTsUs, recorded[TICKS - 1]!.tsUs);
  // The clock shows the last tick of the replay (the other symbol's last tick is earlier).
  assert.equal(
    Number(await page.getByTestId('replay-clock').getAttribute('data-clock-us')),
    recorded[TICKS - 1]!.tsUs,
  );
  // 30 s at 100x is 0.3 s of wall time; anything under 10x would take 3 s more.
  assert.ok(endedMs < 15_000, `replay took ${endedMs} ms`);
  assert.ok(await frame(page).isVisible(), 'the frame stays while the ended replay is shown');

  await page.getByTestId('replay-stop').click();
  await badge(page).waitFor({ state: 'detached', timeout: 5000 });
  await frame(page).waitFor({ state: 'detached', timeout: 5000 });
  await page.getByTestId('replay-start').waitFor({ timeout: 5000 });
  assert.equal(await page.title(), baseTitle, 'Stop restores the title');
  assert.equal(await page.locator('[data-testid="live-chart"][data-replay="true"]').count(), 0);
  assert.deepEqual(errors, [], 'uncaught errors in the page');
  await page.close();
});

test('paused, Step adds exactly the next tick; a seek restarts the chart at the sought tick', async () => {
  const { page, errors } = await openLive();
  await page.getByTestId('replay-speed-1').click();
  await page.getByTestId('replay-start').click();
  // At 1x the 30 s take 30 s: the badge and frame are on while it plays.
  await page.locator('[data-testid="replay-badge"][data-phase="playing"]').waitFor({ timeout: 5000 });
  assert.ok(await frame(page).isVisible(), 'the orange frame while playing');
  assert.ok((await page.title()).startsWith('REPLAY · '));
  await waitProbe(page, (q) => q.ticks >= 3, 'first ticks at 1x');
  await page.getByTestId('replay-pause').click();
  await page.locator('[data-testid="replay-badge"][data-phase="paused"]').waitFor({ timeout: 5000 });
  // Ticks already on their way when the pause landed are drawn on the next frame.
  await page.waitForTimeout(400);
  const before = (await probe(page))!;
  const n = before.ticks;
  await page.waitForTimeout(600);
  assert.equal((await probe(page))!.ticks, n, 'nothing more arrives while paused');
  assert.deepEqual(
    before.tsUs,
    recorded.slice(0, n).map((t) => t.tsUs),
  );

  await page.getByTestId('replay-step').click();
  const stepped = await waitProbe(page, (q) => q.ticks > n, 'the stepped tick');
  await page.waitForTimeout(600);
  const settled = (await probe(page))!;
  assert.equal(settled.ticks, n + 1, 'exactly one more tick');
  assert.deepEqual(
    stepped.tsUs,
    recorded.slice(0, n + 1).map((t) => t.tsUs),
  );
  assert.equal(settled.bid[n], recorded[n]!.bid);

  // Seek (still paused) to tick 200, then play as fast as possible: the chart starts empty there.
  const k = 200;
  const at = recorded[k]!.tsUs;
  const seekText = new Date(Math.floor(at / 1000)).toISOString().replace('T', ' ').replace('Z', '');
  await page.getByTestId('replay-seek').fill(seekText);
  await page.getByTestId('replay-seek-go').click();
  const fromSeek = recorded.filter((t) => t.tsUs >= Math.floor(at / 1000) * 1000);
  await page.getByTestId('replay-speed-max').click();
  await page.getByTestId('replay-play').click();
  await page.locator('[data-testid="replay-badge"][data-phase="ended"]').waitFor({ timeout: 15_000 });
  const sought = await waitProbe(page, (q) => q.ticks >= fromSeek.length, 'ticks after the seek');
  assert.deepEqual(
    sought.tsUs,
    fromSeek.map((t) => t.tsUs),
    'after the seek: the recorded ticks from the sought time only',
  );
  assert.equal(await page.getByTestId('replay-badge-speed').textContent(), 'max');
  await page.getByTestId('replay-stop').click();
  await badge(page).waitFor({ state: 'detached', timeout: 5000 });
  assert.deepEqual(errors, [], 'uncaught errors in the page');
  await page.close();
});
