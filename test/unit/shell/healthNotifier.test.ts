// One notification per critical episode, saying why; nothing while ok or degraded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Health } from '../../../shared/stats.ts';
import { CRITICAL_TITLE, createHealthNotifier } from '../../../electron/shell/healthNotifier.ts';
import { FakeNotifier } from '../../helpers/fakeElectron.ts';

const health = (status: Health['status'], reasons: string[] = []) =>
  ({ status, reasons }) as unknown as Health;

test('critical notifies once per episode, with the reasons', () => {
  const n = new FakeNotifier();
  const logs: string[] = [];
  const notify = createHealthNotifier(n, (m) => logs.push(m));
  notify(health('ok'));
  notify(health('warn', ['queue 80% full']));
  assert.equal(n.shown.length, 0);
  notify(health('critical', ['disk full', 'writer restarting']));
  notify(health('critical', ['disk full']));
  assert.deepEqual(n.shown, [{ title: CRITICAL_TITLE, body: 'disk full\nwriter restarting' }]);
  notify(health('ok'));
  notify(health('critical'));
  assert.deepEqual(n.shown[1], { title: CRITICAL_TITLE, body: 'Storage health is critical.' });
  assert.deepEqual(logs, [
    'storage health critical: disk full; writer restarting',
    'storage health critical: ',
  ]);
});

test('without notification support it only logs', () => {
  const n = new FakeNotifier();
  n.supported = false;
  const logs: string[] = [];
  createHealthNotifier(n, (m) => logs.push(m))(health('critical', ['disk full']));
  assert.equal(n.shown.length, 0);
  assert.deepEqual(logs, ['storage health critical: disk full']);
});
