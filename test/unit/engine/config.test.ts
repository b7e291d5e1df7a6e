import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { configFromEnv, parseBackend, resolveConfig } from '../../../electron/engine/config.ts';
import { ConfigError } from '../../../electron/engine/errors.ts';

function configError(setting: string, pattern?: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    assert.equal(e.setting, setting);
    assert.ok(e.message.includes(setting), `message names ${setting}: ${e.message}`);
    if (pattern) assert.match(e.message, pattern);
    return true;
  };
}

test('defaults: sqlite backend, derived directories, batch 500 / 50 ms, big queue, 3 retries', () => {
  const c = resolveConfig({ dataDir: 'some/dir' });
  const base = path.resolve('some/dir');
  assert.equal(c.dataDir, base);
  assert.equal(c.sqliteDir, path.join(base, 'sqlite'));
  assert.equal(c.jsonDir, path.join(base, 'json'));
  assert.equal(c.spillDir, path.join(base, 'spill'));
  assert.equal(c.backend, 'sqlite');
  assert.equal(c.batchSize, 500);
  assert.equal(c.batchIntervalMs, 50);
  assert.equal(c.maxRetries, 3);
  assert.equal(c.ringSize, 10_000);
  assert.equal(c.rotationCheckMs, 60_000);
  assert.ok(c.queueCapacity >= 300_000, 'absorbs a one-second burst at the benchmark rate');
  assert.equal(c.defaultSource, 'default');
  assert.equal(c.health.queueWarnRatio, 0.8);
});

test('presets: production, migration = dual, development; explicit settings win over the preset', () => {
  assert.equal(resolveConfig({ dataDir: '/d', preset: 'production' }).backend, 'sqlite');
  assert.equal(resolveConfig({ dataDir: '/d', preset: 'migration' }).backend, 'dual');
  const dev = resolveConfig({ dataDir: '/d', preset: 'development' });
  assert.equal(dev.backend, 'sqlite');
  assert.equal(dev.rotationCheckMs, 5_000);
  assert.equal(dev.queueCapacity, 200_000);
  assert.equal(resolveConfig({ dataDir: '/d', preset: 'migration', backend: 'json' }).backend, 'json');
  // An undefined field does not erase the preset's value.
  assert.equal(resolveConfig({ dataDir: '/d', preset: 'migration', backend: undefined }).backend, 'dual');
  assert.equal(
    resolveConfig({ dataDir: '/d', health: { queueWarnRatio: 0.5 } }).health.queueCriticalRatio,
    0.95,
  );
});

test('invalid settings are ConfigErrors naming the setting', () => {
  const bad: [object, string][] = [
    [{ preset: 'fast' }, 'preset'],
    [{ dataDir: '' }, 'dataDir'],
    [{ dataDir: '   ' }, 'dataDir'],
    [{ backend: 'mysql' }, 'backend'],
    [{ defaultSource: 'my broker' }, 'defaultSource'],
    [{ batchSize: 0 }, 'batchSize'],
    [{ batchSize: 1.5 }, 'batchSize'],
    [{ batchIntervalMs: -1 }, 'batchIntervalMs'],
    [{ queueCapacity: 10 }, 'queueCapacity'],
    [{ maxRetries: -1 }, 'maxRetries'],
    [{ ringSize: 0 }, 'ringSize'],
    [{ throttleMinIntervalMs: Number.NaN }, 'throttleMinIntervalMs'],
    [{ rotationCheckMs: 0 }, 'rotationCheckMs'],
    [{ retentionDays: 0 }, 'retentionDays'],
  ];
  for (const [over, setting] of bad) {
    assert.throws(
      () => resolveConfig({ dataDir: '/d', ...over }),
      configError(setting),
      JSON.stringify(over),
    );
  }
  assert.throws(
    () => parseBackend('JSON'),
    configError('backend', /"JSON" is not one of sqlite, json, dual/),
  );
});

test('environment: TICK_STORAGE_BACKEND, TICK_DATA_DIR and BROKER_ID', () => {
  const c = configFromEnv({
    TICK_STORAGE_BACKEND: ' JSON ',
    TICK_DATA_DIR: '/data/ticks',
    BROKER_ID: 'LMAX-1',
  });
  assert.deepEqual(c, { backend: 'json', dataDir: '/data/ticks', defaultSource: 'LMAX-1' });
  const r = resolveConfig(c);
  assert.equal(r.backend, 'json');
  assert.equal(r.defaultSource, 'LMAX-1');
  assert.equal(r.sqliteDir, path.join('/data/ticks', 'sqlite'));
  // Explicit settings (command-line flags) win over the environment.
  assert.deepEqual(configFromEnv({ TICK_STORAGE_BACKEND: 'dual', TICK_DATA_DIR: '/a' }, { dataDir: '/b' }), {
    backend: 'dual',
    dataDir: '/b',
  });
  // Empty backend / broker mean "not set".
  assert.deepEqual(configFromEnv({ TICK_STORAGE_BACKEND: '', BROKER_ID: '', TICK_DATA_DIR: '/a' }), {
    dataDir: '/a',
  });
});

test('invalid environment values are ConfigErrors naming the variable', () => {
  assert.throws(
    () => configFromEnv({ TICK_STORAGE_BACKEND: 'mysql', TICK_DATA_DIR: '/a' }),
    configError('TICK_STORAGE_BACKEND', /mysql/),
  );
  assert.throws(() => configFromEnv({ TICK_DATA_DIR: '  ' }), configError('TICK_DATA_DIR'));
  assert.throws(
    () => configFromEnv({ TICK_DATA_DIR: '/a', BROKER_ID: 'my broker' }),
    configError('BROKER_ID', /my broker/),
  );
  assert.throws(() => configFromEnv({}), configError('dataDir', /TICK_DATA_DIR/));
});
