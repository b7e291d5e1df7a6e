import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StorageSettings } from '../../../shared/catalog.ts';
import { buildPatch, draftFrom } from '../../../renderer/storage/settingsDraft.ts';
import { StatsHistory } from '../../../renderer/health/statsHistory.ts';
import type { StorageStats } from '../../../shared/stats.ts';

const current: StorageSettings = {
  backend: 'sqlite',
  dataDir: '/data',
  batchSize: 5000,
  batchIntervalMs: 100,
  queueCapacity: 1_000_000,
  retentionDays: null,
  throttleRepeats: false,
  throttleMinIntervalMs: 0,
};

test('an untouched draft sends nothing', () => {
  assert.deepEqual(buildPatch(current, draftFrom(current)), { patch: {}, errors: {} });
});

test('only changed fields are sent; empty retention means keep forever', () => {
  const draft = { ...draftFrom(current), batchSize: ' 2000 ', retentionDays: '30', throttleRepeats: true };
  assert.deepEqual(buildPatch(current, draft).patch, {
    batchSize: 2000,
    retentionDays: 30,
    throttleRepeats: true,
  });
  const back = buildPatch({ ...current, retentionDays: 30 }, { ...draftFrom(current), retentionDays: '' });
  assert.deepEqual(back.patch, { retentionDays: null });
});

test('bad values name the field and the allowed range, and are not sent', () => {
  const draft = { ...draftFrom(current), batchSize: '1.5', queueCapacity: '10', batchIntervalMs: '' };
  const { patch, errors } = buildPatch(current, draft);
  assert.deepEqual(patch, {});
  assert.equal(errors.batchSize, 'Batch size must be a whole number');
  assert.equal(errors.queueCapacity, 'Queue capacity must be between 1000 and 50000000');
  assert.equal(errors.batchIntervalMs, 'Batch interval must be a whole number');
});

test('stats history keeps the newest samples in order once full', () => {
  const h = new StatsHistory(3);
  for (let i = 1; i <= 5; i++) h.push({ queue_size: i * 10 } as StorageStats, i * 1000);
  assert.equal(h.length, 3);
  assert.deepEqual(h.series('queue_size'), { atMs: [3000, 4000, 5000], values: [30, 40, 50] });
  assert.deepEqual(h.series('queue_size', 4000).values, [40, 50]);
  assert.equal(h.latest()!.queue_size, 50);
});
