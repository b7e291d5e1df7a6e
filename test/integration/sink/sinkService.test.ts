// The sink inside a real service, against two real ClickHouse 18.16 shards behind a Distributed
// table: recorded ticks reach ClickHouse (FINAL counts equal the day files, every row naming the
// workstation); both shards killed -9: Health warns with the sink's error and its lag, desk.ticks
// answers unavailable, and once they are back the lag drains to 0; the sink worker terminated
// mid-backfill is started again and resumes from its cursor with no duplicates; desk.ticks equals
// the local ticks.range; a service without a sink has no sink in Health and says desk is off.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createTickscopeService, type TickscopeService } from '../../../electron/app/tickscopeService.ts';
import { SINK_CURSOR_FILE } from '../../../electron/app/sinkController.ts';
import type { DeskTickPage } from '../../../shared/desk.ts';
import type { TickPage } from '../../../shared/catalog.ts';
import type { IpcResult } from '../../../shared/ipc/result.ts';
import type { TickInput } from '../../../shared/tick.ts';
import {
  clickhouseMissing,
  startClickhouseCluster,
  type ClickhouseCluster,
} from '../../helpers/clickhouseServers.ts';
import { applyReadmeDdl } from '../../helpers/sinkReadme.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const missing = clickhouseMissing();
if (missing) console.log(`skip: ${missing}`);
const SYMBOLS = ['EURUSD', 'USDJPY', 'XAUUSD'];
// Two hours ago: the store takes it, and the ticks may span a UTC midnight (two day files).
const T0 = (Date.now() - 2 * 3_600_000) * 1000;
let ch: ClickhouseCluster;
let service: TickscopeService;
let dataDir: string;
let made = 0;

function ticks(n: number): TickInput[] {
  const out: TickInput[] = [];
  for (let i = 0; i < n; i++, made++) {
    const tsUs = T0 + made * 50;
    const bid = 1.1 + (made % 17) * 0.0001;
    out.push({
      symbol: SYMBOLS[made % 3],
      source: made % 2 ? 'lp1' : 'lp2',
      tsUs,
      bid,
      ask: bid + 0.0002,
      bidSize: made % 5 === 0 ? undefined : 1 + (made % 7),
      recvUs: tsUs + 40,
      seq: made,
    });
  }
  return out;
}

async function record(n: number): Promise<void> {
  const store = service.store();
  for (const t of ticks(n)) assert.equal(store.ingest(t), 'accepted');
  await store.flush();
}

async function storedPerDay(): Promise<Record<string, number>> {
  const days = await service.store().listDays();
  return Object.fromEntries(days.map((d) => [d.day, d.ticks]));
}

async function chPerDay(): Promise<Record<string, number>> {
  const text = await ch.query(
    'SELECT day, count() FROM tickscope.ticks FINAL GROUP BY day ORDER BY day FORMAT TSV',
  );
  return Object.fromEntries(
    text
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.split('\t')[0], Number(l.split('\t')[1])]),
  );
}

async function duplicates(): Promise<number> {
  return Number(
    await ch.query(
      'SELECT count() - uniqExact(symbol, source, ts_us, bid, ask, seq) FROM tickscope.ticks FINAL',
    ),
  );
}

function value<T>(r: IpcResult<unknown>): T {
  assert.ok(r.ok, `expected ok, got ${JSON.stringify(r)}`);
  return r.value as T;
}

async function waitCaughtUp(what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const s = service.health().sink;
    if (s && s.lagTicks === 0 && s.lastError === null) {
      const [stored, inCh] = [await storedPerDay(), await chPerDay()];
      if (JSON.stringify(stored) === JSON.stringify(inCh)) return;
    }
    if (Date.now() > deadline)
      throw new Error(`${what}: not caught up in 20 s: ${JSON.stringify(service.health().sink)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  if (missing) return;
  ch = await startClickhouseCluster(2, 'ticks_cluster');
  await applyReadmeDdl(ch.query, 2);
  dataDir = makeTempDir('sink-service');
  service = await createTickscopeService({
    dataDir,
    feed: 'none',
    log: () => undefined,
    clickhouse: {
      url: ch.shards[1].url,
      cluster: 'ticks_cluster',
      workstation: 'ws-test-A',
      batchRows: 4_000,
      pollMs: 100,
    },
  });
});

after(async () => {
  await service?.close();
  await ch?.stop();
});

test(
  'recorded ticks reach ClickHouse with the workstation; an outage warns in Health and drains',
  { skip: missing ?? false },
  async () => {
    await record(30_000);
    await waitCaughtUp('first recording');
    const h = service.health();
    assert.equal(h.sink?.state, 'forwarding');
    assert.equal(h.sink?.table, 'tickscope.ticks');
    assert.equal(h.sink?.cluster, 'ticks_cluster');
    assert.equal(h.sink?.workstation, 'ws-test-A');
    assert.equal(h.sink?.forwardedTotal, 30_000);
    assert.equal(h.reasons.filter((r) => /ClickHouse/.test(r)).length, 0, h.reasons.join('; '));
    assert.equal((await ch.query('SELECT DISTINCT workstation FROM tickscope.ticks')).trim(), 'ws-test-A');
    assert.ok(fs.existsSync(path.join(dataDir, SINK_CURSOR_FILE)), 'the cursor is in the data folder');

    await Promise.all([ch.kill(0), ch.kill(1)]);
    await record(9_000);
    await waitFor(
      'the sink to report the outage',
      () => (service.health().sink?.lagTicks ?? 0) >= 9_000 && service.health().sink?.lastError !== null,
      15_000,
    );
    const down = service.health();
    assert.equal(down.sink?.state, 'failing');
    assert.notEqual(down.status, 'ok');
    assert.ok(
      down.reasons.some((r) => /ClickHouse sink failing/.test(r)),
      `a sink reason: ${down.reasons.join('; ')}`,
    );
    const desk = await service.dispatch('desk.ticks', {
      symbol: 'EURUSD',
      fromUs: T0,
      toUs: T0 + 3_600_000_000,
    });
    assert.equal(desk.ok, false);
    assert.equal(!desk.ok && desk.error.code, 'unavailable');
    assert.match(!desk.ok ? desk.error.message : '', /desk ClickHouse .*ECONNREFUSED/);

    await Promise.all([ch.start(0), ch.start(1)]);
    await waitCaughtUp('after the outage');
    const up = service.health();
    assert.equal(up.sink?.lagSeconds, 0);
    assert.equal(up.sink?.state, 'forwarding');
    assert.equal(up.reasons.filter((r) => /ClickHouse/.test(r)).length, 0, up.reasons.join('; '));
    assert.equal(await duplicates(), 0);
  },
);

test(
  'the sink worker terminated mid-run is started again and resumes from its cursor',
  { skip: missing ?? false },
  async () => {
    const sink = service.sink!;
    const before = sink.status().forwardedTotal;
    await record(60_000);
    await waitFor('a first batch of the new ticks', () => sink.status().forwardedTotal > before, 15_000);
    const w = sink.worker();
    assert.ok(w, 'a running worker');
    await w.terminate();
    await waitFor('the controller to see the exit', () => sink.status().state === 'restarting', 5_000);
    assert.ok(sink.status().forwardedTotal < before + 60_000, 'ended before the backlog was forwarded');
    assert.match(sink.status().lastError ?? '', /sink worker exited/);
    await waitCaughtUp('after the worker restart');
    assert.equal(sink.status().workerRestarts, 1);
    assert.notEqual(sink.worker(), w);
    assert.equal(await duplicates(), 0, 'the re-sent batch is folded by FINAL');
    assert.equal(
      Number(await ch.query('SELECT count() FROM tickscope.ticks FINAL')),
      Object.values(await storedPerDay()).reduce((a, b) => a + b, 0),
    );
  },
);

test(
  'desk.ticks equals the local ticks.range for a symbol, page by page',
  { skip: missing ?? false },
  async () => {
    const status = value<{ configured: boolean; table: string }>(await service.dispatch('desk.status', {}));
    assert.equal(status.configured, true);
    assert.equal(status.table, 'tickscope.ticks');
    const fromUs = T0 + 200_000;
    const toUs = T0 + made * 50 - 200_000;
    const local: string[] = [];
    let cursor: string | undefined;
    do {
      const p: TickPage = value<TickPage>(
        await service.dispatch('ticks.range', {
          symbol: 'USDJPY',
          fromUs,
          toUs,
          limit: 9_000,
          ...(cursor ? { cursor } : {}),
        }),
      );
      for (let i = 0; i < p.tsUs.length; i++)
        local.push(
          [p.tsUs[i], p.sources[p.source[i]], p.bid[i], p.ask[i], p.bidSize?.[i], p.askSize?.[i]].join('|'),
        );
      cursor = p.nextCursor ?? undefined;
    } while (cursor);
    const desk: string[] = [];
    const workstations = new Set<string>();
    let pages = 0;
    cursor = undefined;
    do {
      const p: DeskTickPage = value<DeskTickPage>(
        await service.dispatch('desk.ticks', {
          symbol: 'USDJPY',
          fromUs,
          toUs,
          limit: 9_000,
          ...(cursor ? { cursor } : {}),
        }),
      );
      pages++;
      for (let i = 0; i < p.tsUs.length; i++) {
        desk.push(
          [p.tsUs[i], p.sources[p.source[i]], p.bid[i], p.ask[i], p.bidSize?.[i], p.askSize?.[i]].join('|'),
        );
        workstations.add(p.workstations[p.workstation[i]]);
      }
      cursor = p.nextCursor ?? undefined;
    } while (cursor);
    assert.ok(local.length > 25_000, `enough ticks to page: ${local.length}`);
    assert.ok(pages >= 3, `pages: ${pages}`);
    assert.deepEqual([...desk].sort(), [...local].sort());
    assert.deepEqual(
      desk,
      [...desk].sort((a, b) => Number(a.split('|')[0]) - Number(b.split('|')[0])),
      'in time order',
    );
    assert.deepEqual([...workstations], ['ws-test-A']);
  },
);

test(
  'a data folder change restarts the sink on the new folder, with its own cursor',
  { skip: missing ?? false },
  async () => {
    const sink = service.sink!;
    const old = sink.worker();
    const moved = makeTempDir('sink-moved');
    value(await service.dispatch('storage.setDataDir', { path: moved }));
    await waitFor('a new worker', () => sink.worker() !== null && sink.worker() !== old, 10_000);
    const inChBefore = Number(await ch.query('SELECT count() FROM tickscope.ticks FINAL'));
    await record(3_000);
    await waitFor('the new cursor file', () => fs.existsSync(path.join(moved, SINK_CURSOR_FILE)), 15_000);
    await waitFor('the new folder forwarded', () => service.health().sink?.lagTicks === 0, 15_000);
    assert.equal(Number(await ch.query('SELECT count() FROM tickscope.ticks FINAL')), inChBefore + 3_000);
  },
);

test('without a sink: no sink in Health, desk.status says not configured, desk.ticks is unavailable', async () => {
  const plain = await createTickscopeService({
    dataDir: makeTempDir('no-sink'),
    feed: 'none',
    log: () => undefined,
    clickhouse: false,
  });
  try {
    assert.equal(plain.health().sink, undefined);
    assert.equal(plain.sink, null);
    const s = value<{ configured: boolean }>(await plain.dispatch('desk.status', {}));
    assert.equal(s.configured, false);
    const r = await plain.dispatch('desk.ticks', { symbol: 'EURUSD', fromUs: T0, toUs: T0 + 1_000_000 });
    assert.equal(!r.ok && r.error.code, 'unavailable');
    assert.match(!r.ok ? r.error.message : '', /TICK_CLICKHOUSE_URL/);
  } finally {
    await plain.close();
  }
});
