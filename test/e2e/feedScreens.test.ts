// The Feeds tab against real feeds on local peers: a Binance feed added in the form goes live
// with ticks/s and a per-symbol table, a cut connection shows up as reconnects and as a
// disconnect/connect pair in the gap ledger; a FIX password is write-only (never in the page or
// any answer); the ws-json mapping preview follows the paths as they are typed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startBinancePeer } from '../helpers/peers/binancePeer.ts';
import type { BinancePeer } from '../helpers/peers/binancePeer.ts';
import { startJsonPeer } from '../helpers/peers/jsonPeer.ts';
import type { JsonPeer } from '../helpers/peers/jsonPeer.ts';
import { artifactPath, openBrowserSession } from './harness.ts';
import type { BrowserSession } from './harness.ts';
import { recordWsFrames, waitForValue } from './pageProbes.ts';

let session: BrowserSession;
let page: Page;
let frames: { sent: string[]; received: string[] };
const pageErrors: string[] = [];
const peers: Array<{ close(): Promise<void> }> = [];
const pumps: Array<ReturnType<typeof setInterval>> = [];

before(async () => {
  session = await openBrowserSession({ tmpPrefix: 'tickscope-e2e-feeds-', extraArgs: ['--feed', 'none'] });
  const context = await session.browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`page console error: ${m.text()}`);
  });
  frames = recordWsFrames(page);
  await page.goto(`${session.serve.url}#feeds`);
  await page.getByTestId('feed-add').waitFor({ timeout: 10_000 });
});

after(async () => {
  for (const p of pumps) clearInterval(p);
  await page?.context().close();
  await session?.close();
  await Promise.all(peers.map((p) => p.close()));
});

/** Sends quotes every `everyMs` for as long as the test file runs. */
function pump(send: () => void, everyMs = 50): void {
  pumps.push(setInterval(send, everyMs));
}

async function attr(testId: string, name: string): Promise<string | null> {
  return page.getByTestId(testId).getAttribute(name);
}

async function openAddForm(kind: string, id: string): Promise<void> {
  await page.getByTestId('feed-add').click();
  await page.getByTestId('feed-form-kind').selectOption(kind);
  await page.getByTestId('feed-form-id').fill(id);
}

async function saveForm(id: string): Promise<void> {
  await page.getByTestId('feed-form-save').click();
  await page.getByTestId('feed-form').waitFor({ state: 'detached', timeout: 10_000 });
  await page.getByTestId(`feed-card-${id}`).waitFor({ timeout: 10_000 });
}

/** Starts the feed from its card unless saving already started it. */
async function ensureStarted(id: string): Promise<void> {
  const running = await waitForValue(
    async () => (await attr(`feed-card-${id}`, 'data-running')) ?? undefined,
    {
      timeoutMs: 5000,
      what: `${id}'s card`,
    },
  );
  if (running !== 'true') await page.getByTestId(`feed-start-${id}`).click();
}

async function waitForState(id: string, state: string, timeoutMs = 15_000): Promise<void> {
  await waitForValue(
    async () => ((await attr(`feed-state-${id}`, 'data-state')) === state ? true : undefined),
    {
      timeoutMs,
      what: `${id} to be ${state} (it is ${await attr(`feed-state-${id}`, 'data-state')})`,
    },
  );
}

test('a Binance feed added in the form goes live with ticks/s and its per-symbol table', async () => {
  const peer: BinancePeer = await startBinancePeer();
  peers.push(peer);
  pump(() => peer.sendQuotes(['BTCUSDT', 'ETHUSDT']));

  await openAddForm('binance', 'bn');
  // The schema's own checks run in the page before anything is sent.
  await page.getByTestId('feed-form-url').fill('http://not-a-websocket');
  const savesBefore = frames.sent.filter((f) => f.includes('"feeds.save"')).length;
  await page.getByTestId('feed-form-save').click();
  await page.getByText('URL: a WebSocket URL starts with ws:// or wss://').waitFor({ timeout: 5000 });
  assert.equal(
    frames.sent.filter((f) => f.includes('"feeds.save"')).length,
    savesBefore,
    'refused in the page',
  );

  await page.getByTestId('feed-form-url').fill(peer.url);
  await page.getByTestId('feed-form-symbols').fill('BTCUSDT, ETHUSDT');
  await saveForm('bn');
  await ensureStarted('bn');
  await waitForState('bn', 'live');
  const tps = await waitForValue(
    async () => {
      const v = Number(await attr('feed-ticks-per-sec-bn', 'data-value'));
      return v > 0 ? v : undefined;
    },
    { timeoutMs: 15_000, what: 'ticks/s above 0' },
  );
  await page.getByTestId('feed-card-bn').click();
  for (const s of ['BTCUSDT', 'ETHUSDT']) {
    await waitForValue(
      async () => (Number(await attr(`feed-symbol-${s}`, 'data-ticks')) > 0 ? true : undefined),
      {
        timeoutMs: 10_000,
        what: `${s} in the per-symbol table`,
      },
    );
  }
  const row = (await page.getByTestId('feed-symbol-BTCUSDT').textContent()) ?? '';
  assert.doesNotMatch(row, /—\s*—$/, `bid/ask shown for BTCUSDT: ${row}`);

  // A peer's garbage is counted by reason and its sample shown as text, never as markup.
  const evil = '<img src=x data-evil="1" onerror="globalThis.__pwned=1">not json';
  peer.sendRaw(evil);
  peer.sendRaw(evil);
  const reason = page.locator('[data-testid="feed-malformed-reason"]').first();
  await reason.waitFor({ timeout: 10_000 });
  await reason.locator('summary').click();
  const sample = reason.getByTestId('feed-malformed-sample');
  assert.equal(await sample.textContent(), evil);
  assert.ok(Number(await reason.getAttribute('data-count')) >= 2, 'both messages counted');
  assert.equal(await page.locator('[data-evil]').count(), 0, 'no element was made from the sample');
  assert.equal(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned), undefined);
  console.log(
    `feeds: malformed reason ${await reason.getAttribute('data-reason')} × ${await reason.getAttribute('data-count')}`,
  );
  await page.screenshot({ path: await artifactPath('feeds-binance-live.png') });
  console.log(`feeds: bn live at ${tps} ticks/s`);
});

test('a cut connection shows as reconnects and a disconnect/connect pair in the gap ledger', async () => {
  const peer = peers[0] as BinancePeer;
  const before = Number(await attr('feed-reconnects-bn', 'data-value'));
  peer.cut();
  await waitForValue(
    async () => (Number(await attr('feed-reconnects-bn', 'data-value')) > before ? true : undefined),
    { timeoutMs: 20_000, what: 'the reconnect count to rise' },
  );
  await waitForState('bn', 'live', 20_000);
  const kinds = await waitForValue(
    async () => {
      const rows = await page
        .locator('[data-testid="gap-row"][data-feed="bn"]')
        .evaluateAll((els) =>
          els.map((e) => (e as unknown as { dataset: Record<string, string> }).dataset.kind),
        );
      // Newest first: the reconnect's connect above the disconnect that it ends.
      const c = rows.indexOf('connect');
      const d = rows.indexOf('disconnect');
      return c >= 0 && d > c ? rows : undefined;
    },
    { timeoutMs: 15_000, what: 'a disconnect then a connect in the gap ledger' },
  );
  // The connect that ended the cut says how long the connection was down.
  const connect = page.locator('[data-testid="gap-row"][data-feed="bn"][data-kind="connect"]').first();
  const gapUs = Number(await connect.getAttribute('data-gap-us'));
  assert.ok(gapUs > 0 && gapUs < 20_000_000, `gap of ${gapUs} µs`);
  assert.match((await connect.locator('td').nth(6).textContent()) ?? '', /^\d+(\.\d)? (ms|s)$/);
  await page.screenshot({ path: await artifactPath('feeds-binance-reconnected.png') });
  console.log(`feeds: ledger of bn after the cut: ${kinds.join(', ')}`);
  // Health lists the same ledger, so a gap is visible where a user looks when something is wrong.
  await page.evaluate("window.location.hash = '#health'");
  await page
    .locator(
      '[data-testid="health-gap-ledger"] [data-testid="gap-row"][data-feed="bn"][data-kind="disconnect"]',
    )
    .first()
    .waitFor({ timeout: 15_000 });
  await page.evaluate("window.location.hash = '#feeds'");
  await page.locator('[data-testid="feed-reconnects-bn"]').waitFor({ timeout: 15_000 });
});

test('a futures feed, whose quotes carry exchange times, shows exchange-to-receive latency', async () => {
  const peer = await startBinancePeer({ market: 'futures' });
  peers.push(peer);
  pump(() => peer.sendQuotes('BTCUSDT'), 50);
  await openAddForm('binance', 'bnf');
  await page.getByTestId('feed-form-market').selectOption('futures');
  await page.getByTestId('feed-form-url').fill(peer.url);
  await page.getByTestId('feed-form-symbols').fill('BTCUSDT');
  await saveForm('bnf');
  await ensureStarted('bnf');
  await waitForState('bnf', 'live');
  const latency = await waitForValue(
    async () => {
      const t = (await page.getByTestId('feed-latency-bnf').textContent()) ?? '';
      return /\d.*(µs|ms|s) \/ .*\d.*(µs|ms|s)$/.test(t) ? t : undefined;
    },
    { timeoutMs: 10_000, what: 'latency p50 / p99 of bnf' },
  );
  console.log(`feeds: bnf latency p50 / p99 ${latency}`);
  await page.getByTestId('feed-stop-bnf').click();
  await waitForState('bnf', 'stopped');
});

test('a FIX password is write-only: set, shown only as "password set", cleared', async () => {
  const password = `Pw-${Math.random().toString(36).slice(2)}-never-shown`;
  await openAddForm('fix', 'lp-fix');
  await page.getByTestId('feed-form-enabled').uncheck();
  await page.getByTestId('feed-form-host').fill('127.0.0.1');
  await page.getByTestId('feed-form-port').fill('abc');
  await page.getByTestId('feed-form-senderCompId').fill('TICKSCOPE');
  await page.getByTestId('feed-form-targetCompId').fill('LPFIX');
  await page.getByTestId('feed-secret-password').fill(password);
  await page.getByTestId('feed-form-save').click();
  await page.getByText('Port: must be a number').waitFor({ timeout: 5000 });
  await page.getByTestId('feed-form-port').fill('9');
  await saveForm('lp-fix');
  await page.getByTestId('feed-card-lp-fix').getByText('password set').waitFor({ timeout: 5000 });

  await page.getByTestId('feed-edit-lp-fix').click();
  await page.getByTestId('feed-secret-set').waitFor();
  assert.equal(await page.getByTestId('feed-secret-password').inputValue(), '', 'the form does not hold it');

  const answers = JSON.stringify(await session.ws.call('feeds.configs', {}));
  assert.ok(!answers.includes(password), 'feeds.configs does not carry it');
  assert.ok(!(await page.content()).includes(password), 'the page does not show it');
  const stored = await page.evaluate(() => {
    const g = globalThis as unknown as { localStorage: object; sessionStorage: object };
    return JSON.stringify([g.localStorage, g.sessionStorage]);
  });
  assert.ok(!stored.includes(password), 'nor does the page keep it in storage');
  assert.equal(frames.sent.filter((f) => f.includes(password)).length, 1, 'sent once, to feeds.setSecret');
  assert.ok(frames.sent.find((f) => f.includes(password))?.includes('"feeds.setSecret"'));
  const leaks = frames.received.filter((f) => f.includes(password));
  assert.deepEqual(leaks, [], 'no answer or event carries it');

  await page.getByTestId('feed-secret-clear').click();
  await page.getByTestId('feed-secret-set').waitFor({ state: 'detached', timeout: 5000 });
  const entry = (await session.ws.call('feeds.configs', {})).find((e) => e.config.id === 'lp-fix');
  assert.equal(entry?.secretsSet.password, false);
  await page.getByTestId('feed-form-cancel').click();
  assert.equal(await page.getByTestId('feed-card-lp-fix').getByText('password set').count(), 0);
  assert.deepEqual(
    frames.received.filter((f) => f.includes(password)),
    [],
    'still never came back',
  );
});

test('the ws-json mapping preview follows a path as it is edited (pasted messages)', async () => {
  await openAddForm('ws-json', 'pasted');
  await page.getByTestId('mapping-symbol').fill('sym');
  await page.getByTestId('mapping-bid').fill('bid');
  await page.getByTestId('mapping-ask').fill('ask');
  await page.getByTestId('mapping-preview-from-pasted').click();
  await page
    .getByTestId('mapping-paste')
    .fill(
      '{"type":"quote","sym":"EURUSD","bid":"1.10000","ask":"1.10020"}\n{"type":"quote","sym":"GBPUSD","bid":"1.27000","ask":"1.27030"}',
    );
  const preview = page.getByTestId('mapping-preview');
  const ticks = async () => Number(await preview.getAttribute('data-ticks'));
  const until = (want: (n: number) => boolean, what: string) =>
    waitForValue(async () => (want(await ticks()) ? true : undefined), { timeoutMs: 5000, what });
  await until((n) => n === 2, 'two ticks in the preview');
  assert.deepEqual(
    await page
      .getByTestId('mapping-preview-tick')
      .evaluateAll((els) =>
        els.map((e) => (e as unknown as { dataset: Record<string, string> }).dataset.bid),
      ),
    ['1.1', '1.27'],
  );

  await page.getByTestId('mapping-bid').fill('bidd');
  await until((n) => n === 0, 'no ticks once the bid path is wrong');
  assert.equal(await preview.getAttribute('data-errors'), '2');
  assert.equal(
    await page.getByTestId('mapping-preview-issue').first().getAttribute('data-reason'),
    'path_missing:bid',
  );

  await page.getByTestId('mapping-bid').fill('ask');
  await until((n) => n === 2, 'ticks again with the bid read from ask');
  assert.equal(await page.getByTestId('mapping-preview-tick').first().getAttribute('data-bid'), '1.1002');
  await page.getByTestId('mapping-symbol').fill('');
  await page.getByTestId('mapping-preview-error').waitFor({ timeout: 5000 });
  assert.match(
    (await page.getByTestId('mapping-preview-error').textContent()) ?? '',
    /Symbol path: is required/,
  );
  await page.screenshot({ path: await artifactPath('feeds-mapping-pasted.png') });
  await page.getByTestId('feed-form-cancel').click();
});

test("the ws-json mapping preview reads the running feed's last messages", async () => {
  const peer: JsonPeer = await startJsonPeer();
  peers.push(peer);
  pump(() => peer.sendQuotes(['EURUSD', 'USDJPY']), 100);
  await openAddForm('ws-json', 'jq');
  await page.getByTestId('feed-form-url').fill(peer.url);
  await page.getByTestId('feed-form-source').fill('LP-JSON');
  await page.getByTestId('mapping-symbol').fill('sym');
  await page.getByTestId('mapping-bid').fill('bid');
  await page.getByTestId('mapping-ask').fill('ask');
  await page.getByTestId('mapping-time').fill('ts');
  await page.getByTestId('mapping-sequence').fill('seq');
  await saveForm('jq');
  await ensureStarted('jq');
  await waitForState('jq', 'live');

  await page.getByTestId('feed-edit-jq').click();
  const preview = page.getByTestId('mapping-preview');
  const read = async () => ({
    messages: Number(await preview.getAttribute('data-messages')),
    ticks: Number(await preview.getAttribute('data-ticks')),
    errors: Number(await preview.getAttribute('data-errors')),
  });
  const first = await waitForValue(
    async () => {
      const r = await read();
      return r.messages > 0 && r.ticks === r.messages && r.errors === 0 ? r : undefined;
    },
    { timeoutMs: 10_000, what: "the feed's messages parsed in the preview" },
  );
  await page.getByTestId('mapping-symbol').fill('symbol');
  const broken = await waitForValue(
    async () => {
      const r = await read();
      return r.ticks === 0 && r.errors > 0 ? r : undefined;
    },
    { timeoutMs: 5000, what: 'errors with a wrong symbol path' },
  );
  assert.equal(
    await page.getByTestId('mapping-preview-issue').first().getAttribute('data-reason'),
    'path_missing:symbol',
  );
  await page.getByTestId('mapping-symbol').fill('sym');
  await waitForValue(
    async () => {
      const r = await read();
      return r.ticks > 0 && r.errors === 0 ? r : undefined;
    },
    { timeoutMs: 5000, what: 'ticks again' },
  );
  await page.screenshot({ path: await artifactPath('feeds-mapping-live.png') });
  await page.getByTestId('feed-form-cancel').click();
  await page.getByTestId('feed-stop-jq').click();
  await waitForState('jq', 'stopped');
  console.log(
    `feeds: mapping preview of jq: ${first.messages} messages → ${first.ticks} ticks; broken path: ${broken.errors} errors`,
  );
  assert.deepEqual(pageErrors, [], 'uncaught errors in the page');
});
