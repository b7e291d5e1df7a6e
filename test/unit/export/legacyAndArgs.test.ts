// The legacy JSON layout the migration reads, and the export command line's checks.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { LegacyJsonWriter } from '../../../electron/engine/export/legacyJsonWriter.ts';
import { parseExportArgs, timeframeValue } from '../../../electron/cli/exportArgs.ts';
import { UsageError } from '../../../electron/cli/optionTable.ts';
import { makeTempDir, removeTempDirs } from '../../helpers/tempDir.ts';
import { syntheticPage } from './syntheticPage.ts';

after(removeTempDirs);

test('legacy-json writes SYMBOL/YYYY-MM-DD.json arrays of the legacy objects, one file per symbol and day', async () => {
  const out = path.join(makeTempDir('legacy'), 'json');
  const page = syntheticPage(3000, Date.UTC(2019, 1, 4, 23, 59, 59, 900) * 1000); // crosses midnight
  const w = new LegacyJsonWriter(out);
  w.write(page);
  const files = await w.finish();
  assert.equal(fs.existsSync(`${out}.partial`), false);
  assert.deepEqual(
    files.map((f) => path.relative(out, f)),
    [
      'BTC_USDT/2019-02-04.json',
      'BTC_USDT/2019-02-05.json',
      'EURUSD/2019-02-04.json',
      'EURUSD/2019-02-05.json',
    ],
  );
  const items = files.flatMap((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as Record<string, unknown>[]);
  assert.equal(items.length, page.length);
  const eur = JSON.parse(fs.readFileSync(path.join(out, 'EURUSD/2019-02-04.json'), 'utf8'))[0];
  assert.deepEqual(Object.keys(eur), ['symbol', 'bid', 'ask', 'spread', 'timestamp', 'lp']);
  assert.equal(eur.symbol, 'EURUSD');
  assert.equal(eur.bid, page.bid[1]);
  assert.equal(eur.timestamp, '2019-02-04T23:59:59.900138Z');
  assert.equal(eur.lp, 'dukascopy');
});

test('legacy-json refuses a folder that already holds files', () => {
  const out = makeTempDir('legacy-full');
  fs.writeFileSync(path.join(out, 'keep.txt'), 'x');
  assert.throws(() => new LegacyJsonWriter(out), /not empty/);
});

test('export arguments: required options, ISO times, timeframes, formats', () => {
  const base = ['--data-dir', '/d', '--from', '2019-02-04', '--to', '2019-02-05T00:00:00Z', '--out', 'x.csv'];
  const cli = parseExportArgs([
    ...base,
    '--format',
    'bars-csv',
    '--timeframe',
    '5m',
    '--side',
    'mid',
    '--symbols',
    'A,B',
  ]);
  assert.equal(cli.request.fromUs, Date.UTC(2019, 1, 4) * 1000);
  assert.equal(cli.request.toUs, Date.UTC(2019, 1, 5) * 1000);
  assert.deepEqual(
    [cli.request.timeframeSec, cli.request.side, cli.request.symbols],
    [300, 'mid', ['A', 'B']],
  );
  assert.deepEqual(
    [timeframeValue('30s', 'f'), timeframeValue('1h', 'f'), timeframeValue('1d', 'f')],
    [30, 3600, 86400],
  );
  assert.throws(() => timeframeValue('5x', '--timeframe'), /--timeframe must be a bar length/);
  assert.throws(
    () => parseExportArgs(base),
    (e) => e instanceof UsageError && /--format is required/.test(e.message),
  );
  assert.throws(() => parseExportArgs([...base, '--format', 'xls']), /--format must be one of/);
  assert.throws(
    () => parseExportArgs([...base, '--format', 'csv', '--from', 'yesterday']),
    /--from must be an ISO-8601/,
  );
  assert.throws(
    () => parseExportArgs([...base, '--format', 'csv', '--columns', 'time,price']),
    /--columns takes/,
  );
  const c2 = parseExportArgs([
    ...base,
    '--format',
    'csv',
    '--time',
    'ms',
    '--columns',
    'time,bid',
    '--preset',
    'mt5',
  ]);
  assert.deepEqual(c2.request.csv, { time: 'ms', columns: ['time', 'bid'], preset: 'mt5' });
});
