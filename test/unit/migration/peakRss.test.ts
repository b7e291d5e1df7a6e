// The CLI's peakRssMb is its own: getrusage's maxrss on Linux also counts what a child shared
// with its parent before exec, so a CLI started by a big process (the bench) showed the
// parent's size instead.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SUMMARY = fileURLToPath(new URL('../../../electron/migration/migrationSummary.ts', import.meta.url));

test('peakRssMb of a child does not include its parent', (t) => {
  if (process.platform !== 'linux') {
    t.skip('the fork/exec accounting is Linux behaviour');
    return;
  }
  const held = Buffer.alloc(300 * 1024 * 1024, 1);
  const script = `import { peakRssMb } from ${JSON.stringify(SUMMARY)}; console.log(peakRssMb());`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const mb = Number(r.stdout.trim());
  assert.ok(mb > 10 && mb < 200, `child peak RSS ${mb} MB while the parent holds ${held.length >> 20} MB`);
});
