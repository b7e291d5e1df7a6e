import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseQualityArgs } from '../../../electron/cli/qualityArgs.ts';
import { createQualityReportBuilder } from '../../../electron/engine/quality/reportBuilder.ts';
import { qualityReportCsv, qualityReportJson } from '../../../shared/qualityCsv.ts';
import { dayIndexToStartUs, dayKeyToIndex } from '../../../shared/time.ts';
import { injectedDay } from './injectedDay.ts';
import { toPages } from './streamPages.ts';

const DAY = '2024-03-05';

function report() {
  const { ticks } = injectedDay(dayIndexToStartUs(dayKeyToIndex(DAY) ?? 0), 3);
  ticks.push({ ...ticks[0], symbol: 'A,"B"', source: 'x' });
  const b = createQualityReportBuilder(DAY);
  for (const p of toPages(ticks, 10_000)) b.addPage(p);
  return b.finish();
}

test('CSV has one row per symbol and source with its figures and 24 hour counts, quoted where needed', () => {
  const r = report();
  const lines = qualityReportCsv(r).trimEnd().split('\n');
  assert.equal(lines.length, 1 + r.rows.length);
  const header = lines[0].split(',');
  assert.equal(header.length, 14 + 24);
  assert.ok(lines.some((l) => l.startsWith(`${DAY},"A,""B""",x,1,`)));
  const lp1 = lines.find((l) => l.includes(',EURUSD,LP1,'));
  assert.ok(lp1);
  const cells = lp1.split(',');
  const row = r.rows.find((x) => x.source === 'LP1')!;
  assert.equal(Number(cells[header.indexOf('ticks')]), row.ticks);
  assert.equal(Number(cells[header.indexOf('crossed')]), row.crossed);
  assert.equal(
    cells.slice(14).reduce((a, c) => a + Number(c), 0),
    row.ticks,
  );
});

test('JSON round-trips the whole report, marks included', () => {
  const r = report();
  assert.deepEqual(JSON.parse(qualityReportJson(r)), r);
});

test('the CLI requires a day and reads its options', () => {
  assert.throws(() => parseQualityArgs(['--data-dir', '/tmp/x']), /--day is required/);
  assert.throws(() => parseQualityArgs(['--day', '2024-02-30x']), /UTC day/);
  const cli = parseQualityArgs([
    '--day',
    DAY,
    '--symbols',
    'EURUSD,GBPUSD',
    '--format',
    'csv',
    '--spike-z',
    '6',
  ]);
  assert.deepEqual([cli.day, cli.symbols, cli.format, cli.spikeZ], [DAY, ['EURUSD', 'GBPUSD'], 'csv', 6]);
});
