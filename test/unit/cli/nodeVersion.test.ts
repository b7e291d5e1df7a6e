import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { EXIT } from '../../../electron/cli/exitCodes.ts';
import { REQUIRED_NODE_MAJOR, nodeMajor, nodeVersionProblem } from '../../../electron/cli/nodeVersion.mjs';

test('the major version is read from process.versions.node and from `node --version`', () => {
  assert.equal(nodeMajor('20.20.2'), 20);
  assert.equal(nodeMajor('v24.1.0'), 24);
  assert.equal(nodeMajor('100.0.0'), 100);
  assert.ok(Number.isNaN(nodeMajor('garbage')));
});

test('Node 24 and later pass; the running Node (the project runtime) passes', () => {
  assert.equal(REQUIRED_NODE_MAJOR, 24);
  for (const v of ['24.0.0', '24.21.0', '25.1.0', '30.0.0']) assert.equal(nodeVersionProblem(v), null, v);
  assert.equal(nodeVersionProblem(process.versions.node, process.execPath), null);
});

test('older Node gets one sentence: what is needed, what was found, how to get it', () => {
  for (const v of ['20.20.2', '22.18.0', '23.11.1', '18.0.0', 'v16.20.2']) {
    const p = nodeVersionProblem(v, '/usr/bin/node');
    assert.ok(p !== null, v);
    assert.match(p, /^Tickscope needs Node\.js 24 \(the Node that Electron 45 embeds\)/);
    assert.ok(p.includes(`found Node.js ${v.replace(/^v/, '')} (/usr/bin/node)`), p);
    assert.ok(p.includes('npm install --prefix ~/.cache/tickscope/node24 node@24'), p);
    assert.ok(p.includes('~/.cache/tickscope/node24/node_modules/node/bin first on PATH'), p);
    assert.equal(p.split('\n').length, 1, 'one line');
    assert.equal(p.match(/\. /g), null, 'one sentence');
  }
});

test('an unreadable version is refused rather than let through to a .ts error', () => {
  assert.notEqual(nodeVersionProblem('not-a-version'), null);
});

test('preflight.mjs exits with the run-time failure code of exitCodes.ts', () => {
  // preflight.mjs cannot import exitCodes.ts (an old Node cannot load it), so it repeats the number.
  const src = readFileSync(new URL('../../../electron/cli/preflight.mjs', import.meta.url), 'utf8');
  assert.match(src, new RegExp(`process\\.exit\\(${EXIT.failure}\\)`));
});
