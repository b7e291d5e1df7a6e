// A 60 s burst of 100,000 ticks/s from a local WebSocket peer (its own process, so its sending
// does not share the recorder's event loop), recorded by `record` with zero loss: the peer's
// counts, the recorder's stats and the day files agree symbol by symbol, and the recorder's RSS
// stays bounded (printed). The burst is 100 quotes per message (the generic JSON feed's list
// mapping), the way batching exchanges send bursts.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT, cleanEnv, startCli } from './cliProcess.ts';
import { sqliteCountsBySymbolSource } from '../../helpers/sqliteFiles.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import type { BurstSummary } from '../../helpers/burstPeer.ts';

const RATE = Number(process.env.TICKSCOPE_BURST_RATE ?? 100_000);
const SECONDS = Number(process.env.TICKSCOPE_BURST_SECONDS ?? 60);
/** The recorder's resident memory may not pass this during the burst. */
const RSS_LIMIT_BYTES = 1.5 * 1024 ** 3;

test(
  `a ${SECONDS} s burst of ${RATE} ticks/s over a WebSocket is recorded with zero loss in bounded memory`,
  { timeout: (SECONDS + 120) * 1000 },
  async () => {
    const dir = makeTempDir('burst-');
    const peer = startCli(process.execPath, [
      path.join(ROOT, 'test/helpers/burstPeer.ts'),
      '--format',
      'batch',
      '--rate',
      String(RATE),
      '--seconds',
      String(SECONDS),
      '--symbols',
      '50',
    ]);
    let rec: ReturnType<typeof startCli> | null = null;
    try {
      const port = Number((await peer.waitFor('stdout', /listening (\d+)/, 20_000))[1]);
      const config = path.join(dir, 'feeds.json');
      await writeFile(
        config,
        JSON.stringify({
          feeds: [
            {
              id: 'burst',
              kind: 'ws-json',
              url: `ws://127.0.0.1:${port}/`,
              source: 'burst',
              mapping: {
                list: '$',
                symbol: 'symbol',
                bid: 'bid',
                ask: 'ask',
                time: 'ts',
                timeUnit: 'us',
                sequence: 'seq',
                sequenceMode: 'increasing',
              },
            },
          ],
        }),
      );
      rec = startCli(
        process.execPath,
        [
          path.join(ROOT, 'electron/cli/tickscope.mjs'),
          'record',
          '--data-dir',
          path.join(dir, 'data'),
          '--feed-config',
          config,
          '--stats-interval',
          '1',
        ],
        cleanEnv(),
      );
      const summaryLine = await peer.waitFor('stdout', /^\{"sent".*\}$/m, (SECONDS + 60) * 1000);
      const summary = JSON.parse(summaryLine[0]) as BurstSummary;
      // Give the last messages time to arrive before stopping (they are in flight on loopback).
      await waitForStat(rec, (s) => s.ticks_received >= summary.sent, 30_000);
      rec.child.kill('SIGINT');
      const exit = await rec.waitForExit(60_000);
      const lines = rec
        .stdout()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as StatsLine);
      const final = lines.at(-1)!;
      assert.equal(final.final, true);
      const peakRss = Math.max(...lines.map((l) => l.rss_bytes));
      console.log(
        `burst: peer sent ${summary.sent} ticks in ${(summary.elapsedMs / 1000).toFixed(1)} s (${Math.round(summary.achievedRate)}/s asked ${RATE}/s); ` +
          `recorder stored ${final.ticks_written}, lost ${final.ticks_lost}, peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB, queue peak ${final.queue_peak}`,
      );
      assert.equal(exit.code, 0, rec.stderr());
      assert.ok(
        summary.achievedRate > RATE * 0.8,
        `the peer sent at ${Math.round(summary.achievedRate)}/s, not ${RATE}/s`,
      );
      assert.equal(final.ticks_lost, 0);
      assert.equal(final.ticks_rejected, 0);
      assert.equal(final.ticks_stored, summary.sent, 'every tick the peer sent was accepted');
      assert.equal(final.ticks_written, summary.sent, 'and written');
      const onDisk = sqliteCountsBySymbolSource(path.join(dir, 'data', 'sqlite'));
      const expected = new Map(Object.entries(summary.perSymbol).map(([s, n]) => [`${s} burst`, n]));
      assert.deepEqual(onDisk, expected, 'the day files hold exactly what the peer sent, per symbol');
      assert.ok(peakRss < RSS_LIMIT_BYTES, `peak RSS ${peakRss} bytes`);
    } finally {
      peer.cleanUp();
      rec?.cleanUp();
    }
  },
);

interface StatsLine {
  final: boolean;
  ticks_received: number;
  ticks_stored: number;
  ticks_written: number;
  ticks_rejected: number;
  ticks_lost: number;
  queue_peak: number;
  rss_bytes: number;
}

async function waitForStat(
  p: ReturnType<typeof startCli>,
  ok: (s: StatsLine) => boolean,
  timeoutMs: number,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const last = p
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .at(-1);
    if (last && ok(JSON.parse(last) as StatsLine)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `the recorder's stats did not get there within ${timeoutMs} ms:\n${p.stdout().slice(-2000)}\n${p.stderr().slice(-2000)}`,
  );
}
