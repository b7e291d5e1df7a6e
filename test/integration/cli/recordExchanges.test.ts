// The acceptance runs of `npm run record` against local exchange-format peers: Binance bookTicker
// and Coinbase Advanced Trade ticker (batched entries, heartbeats), each across a connection cut
// without a close frame. Every quote the peer sent is in the day files, under the exchange's
// source, each a distinct tick (the update id is part of its identity), and the gap ledger in the
// day file holds the disconnect and the reconnect.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { cleanEnv, startCli } from './cliProcess.ts';
import type { CliProcess } from './cliProcess.ts';
import { startBinancePeer } from '../../helpers/peers/binancePeer.ts';
import { startCoinbasePeer } from '../../helpers/peers/coinbasePeer.ts';
import { sqliteAll, sqliteCountsBySymbolSource } from '../../helpers/sqliteFiles.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { listDayFiles } from '../../../electron/engine/storage/dayFileCatalog.ts';

interface StatsLine {
  final: boolean;
  ticks_received: number;
  ticks_written: number;
  ticks_lost: number;
  ticks_duplicate: number;
  feeds: { id: string; state: string; reconnects: number; malformed: number }[];
}

function statsLines(p: CliProcess): StatsLine[] {
  return p
    .stdout()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as StatsLine);
}

async function until(
  what: string,
  p: CliProcess,
  cond: (s: StatsLine) => boolean,
  timeoutMs = 20_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const last = statsLines(p).at(-1);
    if (last && cond(last)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `record: ${what} not seen within ${timeoutMs} ms\n${p.stdout().slice(-1500)}\n${p.stderr().slice(-1500)}`,
  );
}

function npmRecord(args: string[]): CliProcess {
  return startCli('npm', ['run', '-s', 'record', '--', ...args, '--stats-interval', '0.1'], cleanEnv());
}

/** Ledger rows of kind in the day files under sqliteDir. */
function ledger(sqliteDir: string): { kind: string; feed: string; source: string; code: number | null }[] {
  return listDayFiles(sqliteDir).flatMap((f) =>
    sqliteAll<{ kind: string; feed: string; source: string; code: number | null }>(
      f.path,
      'SELECT kind, feed, source, code FROM feed_events ORDER BY ts_us',
    ),
  );
}

async function stop(p: CliProcess): Promise<StatsLine> {
  p.child.kill('SIGINT');
  const exit = await p.waitForExit(30_000);
  assert.equal(exit.code, 0, p.stderr());
  const final = statsLines(p).at(-1)!;
  assert.equal(final.final, true);
  return final;
}

test('npm run record --feed binance records every quote across a dropped connection, source binance', async () => {
  const peer = await startBinancePeer();
  const dir = makeTempDir('rec-binance-');
  const symbols = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];
  const rec = npmRecord([
    '--data-dir',
    dir,
    '--feed',
    'binance',
    '--feed-url',
    `${peer.url}/ws`,
    '--symbols',
    symbols.join(','),
  ]);
  try {
    await peer.waitFor('subscribed', () => symbols.every((s) => peer.subscribedTo(s).length > 0), 20_000);
    const first = await peer.sendAtRate(symbols, 300, 3_000);
    await until('the first quotes', rec, (s) => s.ticks_received >= first);
    // A dead network: no close frame. The feed must notice, reconnect and resubscribe by itself.
    peer.cut();
    await peer.waitFor(
      'resubscribed',
      () => peer.open().length === 1 && symbols.every((s) => peer.subscribedTo(s).length > 0),
      20_000,
    );
    const second = await peer.sendAtRate(symbols, 300, 3_000);
    await until('the quotes after the reconnect', rec, (s) => s.ticks_received >= first + second);
    const final = await stop(rec);

    const sent = peer.sent();
    const onDisk = sqliteCountsBySymbolSource(path.join(dir, 'sqlite'));
    assert.deepEqual(onDisk, new Map([...sent].map(([s, n]) => [`${s} binance`, n])));
    assert.equal(final.ticks_written, first + second);
    assert.equal(
      final.ticks_duplicate,
      0,
      'equal prices in one µs stay two ticks: the update id tells them apart',
    );
    assert.equal(final.ticks_lost, 0);
    assert.ok(final.feeds[0].reconnects >= 1, JSON.stringify(final.feeds));
    const kinds = ledger(path.join(dir, 'sqlite'));
    assert.ok(
      kinds.some((e) => e.kind === 'disconnect' && e.code === 1006 && e.source === 'binance'),
      JSON.stringify(kinds),
    );
    assert.ok(kinds.filter((e) => e.kind === 'connect').length >= 2, JSON.stringify(kinds));
    assert.match(rec.stderr(), /feed binance: disconnect 1006/);
    // Spot bookTicker has no event time: stored without one, not with an invented one.
    const [day] = listDayFiles(path.join(dir, 'sqlite'));
    const row = sqliteAll<{ missing: number; seqs: number }>(
      day.path,
      // Binance numbers updates per symbol: every (symbol, u) is one stored tick.
      "SELECT sum(exchange_us IS NULL) AS missing, count(DISTINCT symbol || ' ' || seq) AS seqs FROM ticks",
    )[0];
    assert.deepEqual(row, { missing: first + second, seqs: first + second });
  } finally {
    rec.cleanUp();
    await peer.close();
  }
});

test('npm run record --feed coinbase stores one tick per ticker entry of batched messages, across a dropped connection', async () => {
  const peer = await startCoinbasePeer({ heartbeatMs: 200 });
  const dir = makeTempDir('rec-coinbase-');
  const products = ['BTC-USD', 'ETH-USD', 'SOL-USD'];
  const rec = npmRecord([
    '--data-dir',
    dir,
    '--feed',
    'coinbase',
    '--feed-url',
    `${peer.url}/`,
    '--symbols',
    products.join(','),
  ]);
  try {
    await peer.waitFor('subscribed', () => products.every((p) => peer.subscribedTo(p).length > 0), 20_000);
    const first = await peer.sendAtRate(products, 200, 300, { batch: 4, events: 2 });
    await until('the first tickers', rec, (s) => s.ticks_received >= first);
    peer.cut();
    await peer.waitFor(
      'resubscribed',
      () => peer.open().length === 1 && products.every((p) => peer.subscribedTo(p).length > 0),
      20_000,
    );
    const second = await peer.sendAtRate(products, 200, 300, { batch: 3 });
    await until('the tickers after the reconnect', rec, (s) => s.ticks_received >= first + second);
    const final = await stop(rec);

    const onDisk = sqliteCountsBySymbolSource(path.join(dir, 'sqlite'));
    assert.deepEqual(onDisk, new Map([...peer.sent()].map(([p, n]) => [`${p} coinbase`, n])));
    assert.equal(final.ticks_written, first + second);
    assert.equal(final.ticks_duplicate, 0);
    assert.equal(final.feeds[0].malformed, 0);
    const kinds = ledger(path.join(dir, 'sqlite'));
    assert.ok(
      kinds.some((e) => e.kind === 'disconnect' && e.source === 'coinbase'),
      JSON.stringify(kinds),
    );
    // Coinbase sends a time with every message: every tick has an exchange time.
    const [day] = listDayFiles(path.join(dir, 'sqlite'));
    const missing = sqliteAll<{ n: number }>(
      day.path,
      'SELECT count(*) AS n FROM ticks WHERE exchange_us IS NULL',
    )[0];
    assert.equal(missing.n, 0);
  } finally {
    rec.cleanUp();
    await peer.close();
  }
});

test('two feeds quoting the same symbol, even the same update ids and prices, stay apart by source', async () => {
  const a = await startBinancePeer();
  const b = await startBinancePeer();
  const dir = makeTempDir('rec-two-');
  const rec = npmRecord([
    '--data-dir',
    dir,
    '--feed',
    'binance',
    '--feed-url',
    `${a.url}/ws`,
    '--symbols',
    'BTCUSDT',
    '--feed',
    'binance',
    '--feed-url',
    `${b.url}/stream`,
    '--symbols',
    'BTCUSDT',
    '--source',
    'binance-lp2',
  ]);
  try {
    for (const p of [a, b]) await p.waitFor('subscribed', () => p.subscribedTo('BTCUSDT').length > 0, 20_000);
    // The same quote (same u, same prices) from both: two ticks, one per source.
    for (let i = 0; i < 50; i++) {
      const fields = { u: 1_000 + i, bid: '64000.10', ask: '64000.20', bidSize: '1', askSize: '2' };
      a.sendQuote('BTCUSDT', fields);
      b.sendQuote('BTCUSDT', fields);
    }
    await until('both feeds', rec, (s) => s.ticks_received >= 100);
    const final = await stop(rec);
    assert.deepEqual(
      sqliteCountsBySymbolSource(path.join(dir, 'sqlite')),
      new Map([
        ['BTCUSDT binance', 50],
        ['BTCUSDT binance-lp2', 50],
      ]),
    );
    assert.deepEqual(
      final.feeds.map((f) => f.id),
      ['binance', 'binance-2'],
    );
  } finally {
    rec.cleanUp();
    await a.close();
    await b.close();
  }
});
