// The README's ClickHouse DDL and queries, run verbatim against two real 18.16 shards behind a
// Distributed table, so the documentation cannot drift from what the server accepts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  clickhouseMissing,
  startClickhouseCluster,
  type ClickhouseCluster,
} from '../../helpers/clickhouseServers.ts';
import { applyReadmeDdl, readmeDdl, readmeQueries } from '../../helpers/sinkReadme.ts';
import { ClickhouseHttp } from '../../../electron/engine/sink/clickhouseHttp.ts';

const missing = clickhouseMissing();
if (missing) console.log(`skip: ${missing}`);
let ch: ClickhouseCluster;

before(async () => {
  if (!missing) ch = await startClickhouseCluster(2, 'ticks_cluster');
});
after(async () => ch?.stop());

test(
  'README DDL creates the local and Distributed tables on both shards, and twice is harmless',
  { skip: missing ?? false },
  async () => {
    assert.equal(readmeDdl().length, 3);
    await applyReadmeDdl(ch.query, 2);
    await applyReadmeDdl(ch.query, 2);
    for (const s of [0, 1]) {
      const engines = await ch.query(
        "SELECT name, engine FROM system.tables WHERE database = 'tickscope' ORDER BY name FORMAT TSV",
        s,
      );
      assert.equal(engines, 'ticks\tDistributed\nticks_local\tReplacingMergeTree\n');
    }
  },
);

test(
  'README queries fold a re-sent batch: FINAL counts each identity once',
  { skip: missing ?? false },
  async () => {
    const http = new ClickhouseHttp({ url: ch.shards[0].url });
    const day0 = 1549238400000000; // 2019-02-04
    let tsv = '';
    for (let i = 0; i < 1000; i++)
      tsv += `2019-02-04\t${i % 2 ? 'EURUSD' : 'USDJPY'}\tduka\t${day0 + i * 1000}\t1.1\t1.2\tnan\t2.5\t${day0 + i * 1000}\t-1\t0\tws1\n`;
    await http.insertTsv('tickscope.ticks', tsv);
    await http.insertTsv('tickscope.ticks', tsv); // a crash re-sends a batch
    const [range, perDay, optimize] = readmeQueries();
    assert.ok(optimize.startsWith('OPTIMIZE'));
    const rows = (await http.query(`${range} FORMAT TSV`)).trim().split('\n');
    assert.equal(rows.length, 500, 'EURUSD ticks of the day, each once');
    assert.equal(rows[0], `${day0 + 1000}\t1.1\t1.2\tnan\t2.5\tduka\t-1`);
    assert.equal(await http.query(`${perDay} FORMAT TSV`), '2019-02-04\t1000\n');
    assert.equal(
      (await http.query('SELECT count() FROM tickscope.ticks')).trim(),
      '2000',
      'duplicates are stored until merged',
    );
    for (const s of [0, 1]) await ch.query(optimize, s);
    assert.equal((await http.query('SELECT count() FROM tickscope.ticks')).trim(), '1000');
    // Both shards hold rows: the sharding key spreads symbols.
    const perShard = await Promise.all(
      [0, 1].map((s) => ch.query('SELECT count() FROM tickscope.ticks_local', s)),
    );
    assert.deepEqual(
      perShard.map((x) => Number(x) > 0),
      [true, true],
    );
    http.close();
  },
);
