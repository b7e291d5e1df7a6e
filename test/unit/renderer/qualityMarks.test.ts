// History's quality marks: which UTC days a view asks reports for (none past the cap), the marks
// picked for a symbol and source, the tooltip's words, one request per day and symbol (a failure
// asked again, today refreshed), and where the overlay places and hit-tests marks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TickscopeApi } from '../../../shared/ipc/contract.ts';
import type { QualityReport, QualityRow } from '../../../shared/quality.ts';
import {
  MAX_QUALITY_DAYS,
  marksOf,
  markText,
  markTooltipLines,
  QualityReportCache,
  TODAY_REFRESH_MS,
  utcDaysCovering,
} from '../../../renderer/history/qualityMarks.ts';
import { laneY, markAt, placeMarks } from '../../../renderer/history/qualityOverlay.ts';

const US = (iso: string) => Date.parse(iso) * 1000;

function row(symbol: string, source: string, marks: QualityRow['marks'], truncated = false): QualityRow {
  return {
    symbol,
    source,
    ticks: 10,
    hourCounts: new Array(24).fill(0),
    normalSpacingUs: 1e6,
    gaps: 0,
    crossed: 0,
    locked: 0,
    spikes: 0,
    regressions: 0,
    duplicates: 0,
    latency: null,
    marks,
    marksTruncated: truncated,
  };
}

function report(day: string, rows: QualityRow[]): QualityReport {
  const fromUs = US(`${day}T00:00:00Z`);
  return {
    day,
    fromUs,
    toUs: fromUs + 86_400_000_000,
    ticks: 10,
    rows,
    thresholds: { spikeZ: 8, gapFloorUs: 5e6 },
    markLimit: 2000,
  };
}

test('a view asks for the UTC days it touches, its end exclusive, and none beyond the cap', () => {
  assert.deepEqual(
    utcDaysCovering({ fromUs: US('2024-03-05T10:00:00Z'), toUs: US('2024-03-05T11:00:00Z') }),
    ['2024-03-05'],
  );
  assert.deepEqual(
    utcDaysCovering({ fromUs: US('2024-03-04T22:00:00Z'), toUs: US('2024-03-06T00:00:00Z') }),
    ['2024-03-04', '2024-03-05'],
  );
  assert.deepEqual(
    utcDaysCovering({ fromUs: US('2024-02-28T12:00:00Z'), toUs: US('2024-03-01T12:00:00Z') }),
    ['2024-02-28', '2024-02-29', '2024-03-01'],
  );
  // A fourth day is too wide: the count, and no days to ask for.
  assert.equal(
    utcDaysCovering({ fromUs: US('2024-03-01T12:00:00Z'), toUs: US('2024-03-04T12:00:00Z') }),
    MAX_QUALITY_DAYS + 1,
  );
  assert.deepEqual(utcDaysCovering({ fromUs: 5, toUs: 5 }), []);
});

test('marks are those of the symbol, of one source or all of them, merged in time order', () => {
  const reports = [
    report('2024-03-05', [
      row('EURUSD', 'LP1', [
        { kind: 'spike', atUs: 30, toUs: 30, detail: 'mid moved 0.005 (robust z 12.3)' },
        { kind: 'gap', atUs: 10, toUs: 20, detail: 'no tick for 60.0 s (normal ≤ 1.0 s)' },
      ]),
      row('EURUSD', 'LP2', [{ kind: 'crossed', atUs: 15, toUs: 15, detail: 'bid 1.1002 ask 1.1001' }], true),
      row('GBPUSD', 'LP1', [{ kind: 'locked', atUs: 12, toUs: 12, detail: 'bid 1.3 ask 1.3' }]),
    ]),
    report('2024-03-06', [row('EURUSD', 'LP1', [{ kind: 'duplicate', atUs: 90, toUs: 90, detail: '' }])]),
  ];
  const all = marksOf(reports, 'EURUSD', null);
  assert.deepEqual(
    all.marks.map((m) => `${m.kind}@${m.atUs}/${m.source}`),
    ['gap@10/LP1', 'crossed@15/LP2', 'spike@30/LP1', 'duplicate@90/LP1'],
  );
  assert.equal(all.truncated, true);
  const lp1 = marksOf(reports, 'EURUSD', 'LP1');
  assert.deepEqual(
    lp1.marks.map((m) => m.kind),
    ['gap', 'spike', 'duplicate'],
  );
  assert.equal(lp1.truncated, false);
  assert.deepEqual(marksOf(reports, 'USDJPY', null).marks, []);
});

test('the tooltip names the flag and its figures, when, and the source', () => {
  const crossed = {
    kind: 'crossed',
    atUs: US('2024-03-05T10:00:00.250Z'),
    detail: 'bid 1.1002 ask 1.1001',
  } as const;
  assert.equal(
    markText({ ...crossed, toUs: crossed.atUs }),
    'crossed quote (bid above ask): bid 1.1002 ask 1.1001',
  );
  assert.equal(
    markText({ kind: 'spike', atUs: 1, toUs: 1, detail: 'mid moved 0.005 (robust z 12.3)' }),
    'spike: mid moved 0.005 (robust z 12.3)',
  );
  const lines = markTooltipLines({ ...crossed, toUs: crossed.atUs, source: 'LP2' }, 'utc');
  assert.equal(lines[0], 'crossed quote (bid above ask): bid 1.1002 ask 1.1001');
  assert.match(lines[1], /^at 2024-03-05 10:00:00\.250/);
  assert.match(lines[2], /source LP2/);
  const gap = markTooltipLines(
    {
      kind: 'gap',
      atUs: US('2024-03-05T10:00:00Z'),
      toUs: US('2024-03-05T10:01:30Z'),
      detail: 'x',
      source: 'LP1',
    },
    'utc',
  );
  assert.equal(gap[3], '1 min 30 s');
});

test('each day and symbol is asked for once; a failure is asked again; today is refreshed', async () => {
  const calls: string[] = [];
  let fail = false;
  let nowMs = Date.parse('2024-03-06T12:00:00Z');
  const api = {
    call: async (channel: string, input: { day: string; symbols: string[] }) => {
      calls.push(`${channel} ${input.day} ${input.symbols.join(',')}`);
      if (fail) throw new Error('no such day');
      return report(input.day, []);
    },
  } as unknown as TickscopeApi;
  const cache = new QualityReportCache(api, () => nowMs);
  const [a, b] = await Promise.all([
    cache.report('2024-03-05', 'EURUSD'),
    cache.report('2024-03-05', 'EURUSD'),
  ]);
  assert.equal(a, b);
  assert.equal(cache.settled('2024-03-05', 'EURUSD'), a);
  await cache.report('2024-03-05', 'GBPUSD');
  assert.deepEqual(calls, ['quality.report 2024-03-05 EURUSD', 'quality.report 2024-03-05 GBPUSD']);

  fail = true;
  await assert.rejects(cache.report('2024-03-04', 'EURUSD'), /no such day/);
  assert.equal(cache.settled('2024-03-04', 'EURUSD'), undefined);
  fail = false;
  await cache.report('2024-03-04', 'EURUSD');
  assert.equal(calls.filter((c) => c.includes('2024-03-04')).length, 2);

  const today = await cache.report('2024-03-06', 'EURUSD');
  nowMs += TODAY_REFRESH_MS + 1;
  await cache.report('2024-03-05', 'EURUSD');
  const refreshing = cache.report('2024-03-06', 'EURUSD');
  // The old answer keeps showing while the new one is on its way.
  assert.equal(cache.settled('2024-03-06', 'EURUSD'), today);
  assert.notEqual(await refreshing, today);
  assert.equal(calls.filter((c) => c.includes('2024-03-06')).length, 2);
  assert.equal(
    calls.filter((c) => c.includes('2024-03-05 EURUSD')).length,
    1,
    'a past day is not asked again',
  );
});

test('the overlay places instants in their lanes and gaps as the gap shading does, and hit-tests them', () => {
  // 1 px per µs, a pane 1000 px wide showing µs 0..1000.
  const xOfUs = (us: number) => us;
  const marks = [
    { kind: 'gap', atUs: 100, toUs: 300, detail: '', source: 'LP1' },
    { kind: 'spike', atUs: 500, toUs: 500, detail: '', source: 'LP1' },
    { kind: 'crossed', atUs: 502, toUs: 502, detail: '', source: 'LP1' },
    { kind: 'locked', atUs: 5000, toUs: 5000, detail: '', source: 'LP1' },
  ] as const;
  const drawn = placeMarks(marks, xOfUs, 1000, { fromUs: 0, toUs: 1000 });
  assert.deepEqual(
    drawn.map((d) => [d.mark.kind, d.x1, d.x2]),
    [
      ['gap', 100, 300],
      ['spike', 500, 500],
      ['crossed', 502, 502],
    ],
    'the locked quote off screen is not drawn',
  );
  assert.ok(laneY('gap') < laneY('spike') && laneY('spike') < laneY('crossed'));
  // Near two instants, the pointer's lane picks between them; far from both, nothing.
  assert.equal(markAt(drawn, 501, laneY('crossed'))?.mark.kind, 'crossed');
  assert.equal(markAt(drawn, 501, laneY('spike'))?.mark.kind, 'spike');
  assert.equal(markAt(drawn, 520, laneY('spike')), null);
  // A gap is hovered on its strip bar; lower down its band is left to the chart's gap tooltip.
  assert.equal(markAt(drawn, 200, laneY('gap'))?.mark.kind, 'gap');
  assert.equal(markAt(drawn, 200, 300), null);
});
