import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MigrationFormat } from '../../../shared/migration.ts';
import { planFile } from '../../../electron/migration/fileFormat.ts';
import { listSourceFiles } from '../../../electron/migration/sourceFiles.ts';
import { readTickFile } from '../../../electron/migration/tickFileReader.ts';
import { ArchiveBuilder } from '../../fixtures/migration/archiveBuilder.ts';
import type { ExpectedTick } from '../../fixtures/migration/archiveBuilder.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

interface Read {
  format: MigrationFormat | null;
  problem: string | null;
  ticks: Array<Omit<ExpectedTick, 'source'> & { source: string | null }>;
  rejected: Array<[string, string]>;
  notes: string[];
}

async function readAll(
  root: string,
  rel: string,
  opts: { serverOffsetHours?: number; symbol?: string } = {},
): Promise<Read> {
  const { files } = await listSourceFiles(root);
  const file = files.find((f) => f.rel === rel);
  assert.ok(file, `${rel} listed`);
  const importOpts = {
    format: 'auto' as const,
    serverOffsetHours: opts.serverOffsetHours ?? 0,
    symbol: opts.symbol ?? null,
  };
  const plan = await planFile(file, importOpts);
  const out: Read = { format: plan.format, problem: plan.problem, ticks: [], rejected: [], notes: [] };
  if (plan.format === null) return out;
  const r = await readTickFile({
    absPath: file.abs,
    relPath: rel,
    format: plan.format,
    batchSize: 3,
    serverOffsetHours: importOpts.serverOffsetHours,
    fallbackSymbol: plan.fallbackSymbol,
    hash: true,
    onReject: (loc, reason) => out.rejected.push([loc, reason]),
    onBatch: async (b) => {
      for (let i = 0; i < b.count; i++) {
        out.ticks.push({
          symbol: b.symbols[b.sym[i]],
          tsUs: b.tsUs[i],
          bid: b.bid[i],
          ask: b.ask[i],
          source: b.src[i] >= 0 ? b.sources[b.src[i]] : null,
        });
      }
    },
  });
  out.notes = r.notes;
  out.problem = r.structureProblem;
  assert.match(r.sha256, /^[0-9a-f]{64}$/);
  return out;
}

const T0 = Date.UTC(2024, 0, 2) * 1000;

test('legacy variants: field aliases in any case, string prices, epochs in every unit, zone-less times', async () => {
  const root = makeTempDir('mig-variants');
  const b = new ArchiveBuilder(root);
  const ticks = b.ticks('EURUSD', T0 + 1_000, 4, 250_000, 'LP1');
  b.records('a/EURUSD/2024-01-02.json', ticks, (t) => ({
    SYM: t.symbol,
    Bid: String(t.bid),
    ASK: t.ask,
    Time: t.tsUs / 1e6,
    Provider: t.source,
  }));
  b.records(
    'b/ms.jsonl',
    ticks,
    (t) => ({ instrument: t.symbol, bid: t.bid, ask: t.ask, ts: t.tsUs / 1000, source: t.source }),
    { lines: true },
  );
  b.records('c/us.json', ticks, (t) => ({
    symbol: t.symbol,
    bid: t.bid,
    ask: t.ask,
    datetime: t.tsUs,
    lp: t.source,
  }));
  b.records(
    'd/ns.json.gz',
    ticks,
    (t) => ({ symbol: t.symbol, bid: t.bid, ask: t.ask, timestamp: String(t.tsUs * 1000), lp: t.source }),
    { gzip: true },
  );
  b.records('e/EURUSD/2024-01-02.json', ticks, (t) => ({
    bid: t.bid,
    ask: t.ask,
    time: new Date(t.tsUs / 1000).toISOString().replace('Z', ''),
    lp: t.source,
  }));
  for (const rel of [
    'a/EURUSD/2024-01-02.json',
    'b/ms.jsonl',
    'c/us.json',
    'd/ns.json.gz',
    'e/EURUSD/2024-01-02.json',
  ]) {
    const r = await readAll(root, rel);
    assert.equal(r.format, 'legacy-json', rel);
    assert.equal(r.problem, null, rel);
    assert.deepEqual(r.rejected, [], rel);
    assert.deepEqual(r.ticks, ticks, rel);
  }
  assert.ok((await readAll(root, 'a/EURUSD/2024-01-02.json')).notes.some((n) => /seconds/.test(n)));
  assert.ok((await readAll(root, 'd/ns.json.gz')).notes.some((n) => /nanoseconds/.test(n)));
  assert.ok(
    (await readAll(root, 'e/EURUSD/2024-01-02.json')).notes.some((n) =>
      /without a zone were read as UTC/.test(n),
    ),
  );
});

test('bad ticks are rejected with reason and location; the rest of the file is read', async () => {
  const root = makeTempDir('mig-badticks');
  const b = new ArchiveBuilder(root);
  const recs = [
    { symbol: 'EURUSD', bid: 1.1, ask: 1.2, timestamp: '2024-01-02T00:00:00Z' },
    { symbol: 'EURUSD', ask: 1.2, timestamp: '2024-01-02T00:00:01Z' },
    { symbol: 'EURUSD', bid: 1.1, ask: 1.2, timestamp: 'yesterday' },
    { symbol: 'EURUSD', bid: 1.1, ask: 1.2, timestamp: 20_000_000_000 },
    { symbol: 'EURUSD', bid: 1.1, ask: 1.2, timestamp: 1704153600 },
    { symbol: 'EURUSD', bid: 1.1, ask: 1.2, timestamp: 1704153601000 },
    { symbol: 'EURUSD', bid: 'abc', ask: 1.2, timestamp: 1704153602 },
  ];
  b.write('x/ticks.json', JSON.stringify(recs));
  const r = await readAll(root, 'x/ticks.json');
  assert.deepEqual(
    r.rejected.map(([loc, reason]) => [loc, reason.split(':')[0]]),
    [
      ['record 2', 'bid_missing'],
      ['record 3', 'time_invalid'],
      ['record 4', 'timestamp_unit_ambiguous'],
      ['record 6', 'timestamp_unit_inconsistent'],
    ],
  );
  // Non-finite prices reach the store, which rejects them with its own reason (bid_not_finite).
  assert.equal(r.ticks.length, 3);
  assert.ok(Number.isNaN(r.ticks[2].bid));
});

test('importers: Dukascopy, TrueFX, HistData (UTC-5) and MetaTrader 5 (UTF-16, carry-forward, offset)', async () => {
  const root = makeTempDir('mig-importers');
  const b = new ArchiveBuilder(root);
  const duka = b.ticks('EURUSD', T0 + 84_000, 5, 113_000, 'dukascopy');
  b.dukascopy('duka/eurusd-2024-01-02T00.json', duka);
  const truefx = b.ticks('EURUSD', T0 + 959_000, 5, 1_000, 'truefx');
  b.trueFx('truefx/EURUSD-2024-01.csv', truefx, 'EUR/USD');
  const hist = b.ticks('GBPUSD', T0 + 3_660_000, 5, 17_000, 'histdata', 1.3);
  b.histData('hist/DAT_ASCII_GBPUSD_T_202401.csv', hist);
  const mt5 = b.ticks('USDJPY', T0 + 123_000, 6, 1_000, 'mt5', 141.5);
  mt5[2].bid = mt5[1].bid; // an empty cell in the file: carried forward
  b.mt5('mt5/USDJPY_202401020000_202401022359.csv', mt5, 2);
  const d = await readAll(root, 'duka/eurusd-2024-01-02T00.json');
  assert.equal(d.format, 'dukascopy');
  assert.deepEqual(d.ticks, duka);
  const t = await readAll(root, 'truefx/EURUSD-2024-01.csv');
  assert.equal(t.format, 'truefx');
  assert.deepEqual(t.ticks, truefx);
  const h = await readAll(root, 'hist/DAT_ASCII_GBPUSD_T_202401.csv');
  assert.equal(h.format, 'histdata');
  assert.deepEqual(h.ticks, hist);
  const m = await readAll(root, 'mt5/USDJPY_202401020000_202401022359.csv', { serverOffsetHours: 2 });
  assert.equal(m.format, 'mt5');
  assert.deepEqual(m.ticks, mt5);
  const shifted = await readAll(root, 'mt5/USDJPY_202401020000_202401022359.csv', { serverOffsetHours: 0 });
  assert.equal(shifted.ticks[0].tsUs - mt5[0].tsUs, 2 * 3600e6);
});

test('the Dukascopy sample files read completely, every price as written', async () => {
  const { readFileSync } = await import('node:fs');
  const dir = new URL('../../fixtures/dukascopy/', import.meta.url).pathname;
  const rows = JSON.parse(readFileSync(`${dir}eurusd-2019-02-04T00.json`, 'utf8')) as number[][];
  const r = await readAll(dir, 'eurusd-2019-02-04T00.json');
  assert.equal(r.format, 'dukascopy');
  assert.equal(r.ticks.length, rows.length);
  for (let i = 0; i < rows.length; i++) {
    assert.equal(r.ticks[i].tsUs, rows[i][0] * 1000);
    assert.equal(r.ticks[i].ask, rows[i][1]);
    assert.equal(r.ticks[i].bid, rows[i][2]);
    assert.equal(r.ticks[i].symbol, 'EURUSD');
  }
});

test('sniffing names what a file is not: empty, binary, non-tick JSON, unknown text', async () => {
  const root = makeTempDir('mig-sniff');
  const b = new ArchiveBuilder(root);
  b.write('empty.json', '');
  b.write('blank.json', '\n  \n');
  b.write('binary.json', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2, 3]));
  b.write('package.json', JSON.stringify({ name: 'x', version: '1.0.0' }));
  b.write('notes.txt', 'hello world\nthis is not a tick file\n');
  const expect: Record<string, RegExp> = {
    'empty.json': /^empty file/,
    'blank.json': /^empty file/,
    'binary.json': /^binary file/,
    'package.json': /^not a tick file: the first record has no time, bid and ask/,
    'notes.txt': /^not a tick file: first line/,
  };
  for (const [rel, re] of Object.entries(expect)) {
    const r = await readAll(root, rel);
    assert.equal(r.format, null, rel);
    assert.match(r.problem ?? '', re, rel);
  }
});
