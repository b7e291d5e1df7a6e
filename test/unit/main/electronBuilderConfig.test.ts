// The packaging config as electron-builder itself reads and validates it (app-builder-lib's own
// loader and JSON-schema check, the ones `npm run dist` uses), so a misspelt fuse key fails here
// instead of being ignored by a release build.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import type { Configuration } from 'app-builder-lib';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { getConfig } from 'app-builder-lib/out/util/config/load.js';
import { ROOT } from '../../e2e/harness.ts';

const noDebug = { isEnabled: false, add() {} } as unknown as Parameters<typeof validateConfiguration>[1];

async function loadBuilderConfig(): Promise<Configuration> {
  const read = await getConfig<Configuration>(
    { packageKey: 'build', configFilename: 'electron-builder', projectDir: ROOT, packageMetadata: null },
    path.join(ROOT, 'build/electron-builder.yml'),
  );
  assert.ok(read, 'build/electron-builder.yml was not found');
  return read.result;
}

test('electron-builder accepts build/electron-builder.yml against its schema', async () => {
  await validateConfiguration(await loadBuilderConfig(), noDebug);
});

test('the packaged app has its fuses set: no Node entry points, app code only from a checked asar', async () => {
  const config = await loadBuilderConfig();
  assert.deepEqual(config.electronFuses, {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    enableCookieEncryption: true,
    grantFileProtocolExtraPrivileges: false,
  });
  // The fuses guard the asar: without one, onlyLoadAppFromAsar would find no app.
  assert.equal(config.asar, true);
});

test('no native rebuild: better-sqlite3 ships Node-API binaries that Electron loads as they are', async () => {
  assert.equal((await loadBuilderConfig()).npmRebuild, false);
});

test('the schema check is real: a misspelt fuse is rejected', async () => {
  const config = await loadBuilderConfig();
  const misspelt = {
    ...config,
    electronFuses: { ...config.electronFuses, runAsNod: false },
  } as Configuration;
  await assert.rejects(validateConfiguration(misspelt, noDebug), /electronFuses/);
});
