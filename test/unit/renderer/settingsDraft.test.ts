import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StorageSettings } from '../../../shared/catalog.ts';
import { buildPatch, draftFrom, draftIsDirty } from '../../../renderer/storage/settingsDraft.ts';
import { StatsHistory } from '../../../renderer/health/statsHistory.ts';
import type { StorageStats } from '../../../shared/stats.ts';

const current: StorageSettings = {
  backend: 'sqlite',
  dataDir: '/data',
  batchSize: 5000,
  batchIntervalMs: 100,
  queueCapacity: 1_000_000,
  retentionDays: null,
  retentionMaxBytes: null,
  compactAfterDays: 7,
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

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

test('the size budget is typed in MiB or GiB and sent in bytes; empty means no budget', () => {
  assert.equal(draftFrom(current).retentionMaxBytes, '');
  const gib = { ...draftFrom(current), retentionMaxBytes: '1.5', retentionMaxBytesUnit: 'GiB' as const };
  assert.deepEqual(buildPatch(current, gib).patch, { retentionMaxBytes: 1.5 * GiB });
  const mib = { ...draftFrom(current), retentionMaxBytes: '512', retentionMaxBytesUnit: 'MiB' as const };
  assert.deepEqual(buildPatch(current, mib).patch, { retentionMaxBytes: 512 * MiB });

  const budgeted = { ...current, retentionMaxBytes: 20 * GiB };
  assert.deepEqual(
    { text: draftFrom(budgeted).retentionMaxBytes, unit: draftFrom(budgeted).retentionMaxBytesUnit },
    { text: '20', unit: 'GiB' },
  );
  assert.deepEqual(buildPatch(budgeted, { ...draftFrom(budgeted), retentionMaxBytes: '' }).patch, {
    retentionMaxBytes: null,
  });
  // Changing only the unit changes the budget: 20 MiB, not 20 GiB.
  assert.deepEqual(buildPatch(budgeted, { ...draftFrom(budgeted), retentionMaxBytesUnit: 'MiB' }).patch, {
    retentionMaxBytes: 20 * MiB,
  });
});

test('a budget the field can only show rounded is not resent when left alone', () => {
  const odd = { ...current, retentionMaxBytes: 5 * GiB + 12_345 };
  assert.equal(draftFrom(odd).retentionMaxBytes, '5');
  assert.deepEqual(buildPatch(odd, draftFrom(odd)), { patch: {}, errors: {} });
});

test('a bad size budget names the field and is not sent', () => {
  const tiny = { ...draftFrom(current), retentionMaxBytes: '0.5', retentionMaxBytesUnit: 'MiB' as const };
  assert.deepEqual(buildPatch(current, tiny), {
    patch: {},
    errors: { retentionMaxBytes: 'Size budget must be at least 1.0 MiB' },
  });
  const words = { ...draftFrom(current), retentionMaxBytes: '2 GB' };
  assert.equal(buildPatch(current, words).errors.retentionMaxBytes, 'Size budget must be a number of GiB');
});

test('compact after: empty means never automatically; limits are checked', () => {
  assert.equal(draftFrom(current).compactAfterDays, '7');
  assert.deepEqual(buildPatch(current, { ...draftFrom(current), compactAfterDays: '' }).patch, {
    compactAfterDays: null,
  });
  assert.deepEqual(buildPatch(current, { ...draftFrom(current), compactAfterDays: '30' }).patch, {
    compactAfterDays: 30,
  });
  assert.equal(draftFrom({ ...current, compactAfterDays: null }).compactAfterDays, '');
  assert.equal(
    buildPatch(current, { ...draftFrom(current), compactAfterDays: '0' }).errors.compactAfterDays,
    'Compact after must be between 1 and 36500',
  );
});

test('dirty is any edit, including the unit alone', () => {
  assert.equal(draftIsDirty(current, draftFrom(current)), false);
  assert.equal(draftIsDirty(current, { ...draftFrom(current), retentionMaxBytesUnit: 'MiB' }), true);
  assert.equal(draftIsDirty(current, { ...draftFrom(current), compactAfterDays: '8' }), true);
});

test('stats history keeps the newest samples in order once full', () => {
  const h = new StatsHistory(3);
  for (let i = 1; i <= 5; i++) h.push({ queue_size: i * 10 } as StorageStats, i * 1000);
  assert.equal(h.length, 3);
  assert.deepEqual(h.series('queue_size'), { atMs: [3000, 4000, 5000], values: [30, 40, 50] });
  assert.deepEqual(h.series('queue_size', 4000).values, [40, 50]);
  assert.equal(h.latest()!.queue_size, 50);
});
