// The ClickHouse sink in Chromium, with serve started as a user would (TICK_CLICKHOUSE_URL,
// BROKER_ID) against two real ClickHouse shards: History offers Origin, and with desk its chart
// holds the desk's ticks (this workstation's forwarded ones plus another workstation's rows),
// with local only its own; Health's sink card shows it forwarding with the workstation and table,
// failing with the error and a lag while both shards are down and a feed records, then caught up
// with ClickHouse holding every stored tick.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openTickStore } from '../../electron/engine/tickStore.ts';
import {
  clickhouseMissing,
  startClickhouseCluster,
  type ClickhouseCluster,
} from '../helpers/clickhouseServers.ts';
import { applyReadmeDdl } from '../helpers/sinkReadme.ts';
import { artifactPath, openBrowserSession } from './harness.ts';
import type { BrowserSession } from './harness.ts';
import { waitForValue } from './pageProbes.ts';

const missing = clickhouseMissing();
if (missing) console.log(`skip: ${missing}`);
const FROM_US = Date.UTC(2025, 0, 15, 10) * 1000;
const LOCAL_TICKS = 3_000;
const OTHER_TICKS = 300;

let ch: ClickhouseCluster;
let session: BrowserSession;

async function seed(dir: string): Promise<void> {
  const store = await openTickStore({ dataDir: dir });
  try {
    for (let i = 0; i < LOCAL_TICKS; i++) {
      const bid = 1.1 + (i % 11) * 0.0001;
      store.ingest({ symbol: 'EURUSD', source: 'LP-A', tsUs: FROM_US + i * 100_000, bid, ask: bid + 0.0001 });
    }
    await store.flush();
  } finally {
    await store.stop();
  }
}

/** Rows another workstation forwarded: a source this store never saw. */
async function otherWorkstation(): Promise<void> {
  let tsv = '';
  for (let i = 0; i < OTHER_TICKS; i++) {
    const ts = FROM_US + 50_000 + i * 1_000_000;
    tsv += `2025-01-15\tEURUSD\tLP-DESK\t${ts}\t1.2\t1.2001\tnan\tnan\t${ts}\t-1\t1\tws-other\n`;
  }
  const res = await fetch(
    `${ch.shards[0].url}?query=${encodeURIComponent('INSERT INTO tickscope.ticks FORMAT TabSeparated')}&insert_distributed_sync=1`,
    {
      method: 'POST',
      body: tsv,
    },
  );
  assert.equal(res.status, 200, await res.text());
}

interface ChartState {
  points: number;
  sources: string[];
  loading: boolean;
}

async function chartState(page: Page): Promise<ChartState> {
  return page.evaluate(() => {
    const p = (globalThis as unknown as { __tickscopeCharts?: Record<string, { state(): ChartState }> })
      .__tickscopeCharts?.['history-0'];
    if (!p) throw new Error('no chart probe history-0');
    return p.state();
  });
}

async function text(page: Page, id: string): Promise<string> {
  return ((await page.getByTestId(id).textContent()) ?? '').trim();
}

before(async () => {
  if (missing) return;
  ch = await startClickhouseCluster(2, 'ticks_cluster');
  await applyReadmeDdl(ch.query, 2);
  await otherWorkstation();
  session = await openBrowserSession({
    tmpPrefix: 'tickscope-e2e-desk-',
    extraArgs: ['--feed', 'none'],
    seed,
    serveEnv: {
      TICK_CLICKHOUSE_URL: ch.shards[1].url,
      TICK_CLICKHOUSE_CLUSTER: 'ticks_cluster',
      BROKER_ID: 'ws-e2e',
    },
  });
});

after(async () => {
  await session?.close();
  await ch?.stop();
});

test(
  'History with Origin desk draws the desk’s ticks, local only its own',
  { skip: missing ?? false },
  async () => {
    const page = await session.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${session.serve.url}#history`);
    const settled = (want: (s: ChartState) => boolean, what: string) =>
      waitForValue(
        async () => {
          const s = await chartState(page).catch(() => undefined);
          return s && !s.loading && want(s) ? s : undefined;
        },
        { timeoutMs: 20_000, what },
      );
    const local = await settled((s) => s.points > 0, 'the local ticks');
    assert.equal(local.points, LOCAL_TICKS);
    assert.deepEqual(local.sources, ['LP-A']);
    await page.getByTestId('history-origin').selectOption('desk');
    const desk = await settled((s) => s.points !== LOCAL_TICKS, 'the desk ticks');
    assert.equal(desk.points, LOCAL_TICKS + OTHER_TICKS);
    assert.deepEqual([...desk.sources].sort(), ['LP-A', 'LP-DESK']);
    await page.screenshot({ path: await artifactPath('desk-history.png'), fullPage: true });
    await page.getByTestId('history-origin').selectOption('local');
    const back = await settled((s) => s.points === LOCAL_TICKS, 'the local ticks again');
    assert.deepEqual(back.sources.includes('LP-A'), true);
    await page.close();
  },
);

test(
  'Health shows the sink forwarding, failing while ClickHouse is down, then caught up',
  { skip: missing ?? false },
  async () => {
    const page = await session.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${session.serve.url}#health`);
    await page.getByTestId('health-card-sink').waitFor({ timeout: 15_000 });
    await waitForValue(async () => ((await text(page, 'sink-lag')) === 'caught up' ? true : undefined), {
      timeoutMs: 20_000,
      what: 'the seeded day forwarded',
    });
    assert.equal(await text(page, 'sink-state'), 'forwarding');
    assert.equal(await text(page, 'sink-workstation'), 'ws-e2e');
    assert.equal(await text(page, 'sink-table'), 'tickscope.ticks on ticks_cluster');
    assert.equal(
      Number(await ch.query("SELECT count() FROM tickscope.ticks FINAL WHERE workstation = 'ws-e2e'")),
      LOCAL_TICKS,
    );

    await Promise.all([ch.kill(0), ch.kill(1)]);
    // Ticks recorded while ClickHouse is down are what the sink has to wait with.
    await session.ws.call('recording.start', { feed: 'demo', symbols: 2, ratePerSec: 200 });
    await waitForValue(async () => ((await text(page, 'sink-state')) === 'failing' ? true : undefined), {
      timeoutMs: 20_000,
      what: 'the card to show the outage',
    });
    assert.match(await text(page, 'sink-error'), /ECONNREFUSED/);
    assert.match(await text(page, 'sink-lag'), /ticks/);
    assert.equal(await page.getByTestId('health-status-detail').textContent(), 'warn');
    await page.screenshot({ path: await artifactPath('desk-sink-failing.png'), fullPage: true });
    await session.ws.call('recording.stop', {});

    await Promise.all([ch.start(0), ch.start(1)]);
    await waitForValue(async () => ((await text(page, 'sink-state')) === 'forwarding' ? true : undefined), {
      timeoutMs: 30_000,
      what: 'the sink to recover',
    });
    await waitForValue(async () => ((await text(page, 'sink-lag')) === 'caught up' ? true : undefined), {
      timeoutMs: 20_000,
      what: 'the lag to drain',
    });
    assert.equal(await text(page, 'sink-error'), 'no error');
    const stored = (await session.ws.call('storage.days', {})).reduce((n, d) => n + d.ticks, 0);
    assert.equal(
      Number(await ch.query("SELECT count() FROM tickscope.ticks FINAL WHERE workstation = 'ws-e2e'")),
      stored,
    );
    await page.close();
  },
);
