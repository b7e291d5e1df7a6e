// The layer table in build/eslint.config.js is only worth something if lint really fails on a
// forbidden edge. These tests lint virtual files placed in each layer through ESLint's Node API,
// with the project's own config, and look only at the layer rule's messages.
import assert from 'node:assert/strict';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RULE = 'tickscope/layers';

const eslint = new ESLint({ cwd: ROOT, overrideConfigFile: 'build/eslint.config.js' });

/** The layer rule's messages for `code` as if it were the file at `filePath` (relative to the repo). */
async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  assert.ok(result, `eslint returned no result for ${filePath}`);
  return result.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
}

async function assertRefused(filePath: string, code: string, ...expected: (string | RegExp)[]) {
  const errors = await layerErrors(filePath, code);
  assert.equal(
    errors.length,
    1,
    `expected one layer error for ${filePath}: ${code}\ngot: ${errors.join('\n')}`,
  );
  for (const e of expected) assert.match(errors[0], typeof e === 'string' ? new RegExp(escape(e)) : e);
}

async function assertAllowed(filePath: string, code: string) {
  assert.deepEqual(await layerErrors(filePath, code), [], `${filePath} should be allowed: ${code}`);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('engine importing app fails, and the message names both layers and what engine may import', async () => {
  const errors = await layerErrors(
    'electron/engine/probe.ts',
    "import { x } from '../app/tickscopeService.ts';\nexport { x };\n",
  );
  assert.deepEqual(errors, [
    'layer engine may not import app (electron/engine/probe.ts -> electron/app/tickscopeService.ts); ' +
      'engine may import: shared',
  ]);
});

test('engine importing feeds, migration, server, main or cli fails', async () => {
  for (const layer of ['feeds', 'migration', 'server', 'main', 'cli']) {
    await assertRefused(
      'electron/engine/storage/probe.ts',
      `import '../../${layer}/x.ts';\n`,
      `layer engine may not import ${layer} (electron/engine/storage/probe.ts -> electron/${layer}/x.ts)`,
    );
  }
});

test('a type-only import counts: engine may not import types from app', async () => {
  await assertRefused(
    'electron/engine/probe.ts',
    "import type { Service } from '../app/tickscopeService.ts';\nexport type S = Service;\n",
    'layer engine may not import app',
  );
  await assertRefused(
    'electron/engine/probe.ts',
    "export type S = import('../app/tickscopeService.ts').Service;\n",
    'layer engine may not import app',
  );
});

test('re-exports count: export * from and export { } from across a forbidden edge fail', async () => {
  await assertRefused(
    'electron/engine/probe.ts',
    "export * from '../app/errorMapping.ts';\n",
    'may not import app',
  );
  await assertRefused(
    'electron/engine/probe.ts',
    "export { mapError } from '../app/errorMapping.ts';\n",
    'may not import app',
  );
});

test('a dynamic import() with a literal specifier across a forbidden edge fails', async () => {
  await assertRefused(
    'electron/engine/probe.ts',
    "export const load = () => import('../app/tickscopeService.ts');\n",
    'layer engine may not import app',
  );
  await assertRefused(
    'electron/engine/probe.ts',
    'export const load = () => import(`../feeds/demoFeed.ts`);\n',
    'layer engine may not import feeds',
  );
});

test('migration may not import app, but app may import migration (the direction the table allows)', async () => {
  await assertRefused(
    'electron/migration/probe.ts',
    "import '../app/migrationHandlers.ts';\n",
    'layer migration may not import app',
    'migration may import: shared, engine',
  );
  await assertAllowed('electron/app/probe.ts', "import '../migration/migrationRun.ts';\n");
});

test('electron/shell/ may import electron types but nothing that loads electron', async () => {
  await assertAllowed(
    'electron/shell/probe.ts',
    "import type { BrowserWindow } from 'electron';\nimport { type Tray } from 'electron';\nexport type W = import('electron').WebContents;\nexport type { Menu } from 'electron';\n",
  );
  for (const code of [
    "import { app } from 'electron';\nexport { app };\n",
    "import { type Tray, app } from 'electron';\nexport { app };\n",
    "import 'electron';\n",
    "export { app } from 'electron';\n",
    "export const e = import('electron');\n",
  ]) {
    await assertRefused('electron/shell/probe.ts', code, 'layer shell may not import electron', 'types only');
  }
});

test('shell uses app, engine and shared; main wires shell; nothing else imports shell or main', async () => {
  await assertAllowed(
    'electron/shell/probe.ts',
    "import '../app/tickscopeService.ts';\nimport '../engine/tickStoreApi.ts';\nimport '../../shared/tick.ts';\n",
  );
  await assertRefused(
    'electron/shell/probe.ts',
    "import '../main/main.ts';\n",
    'layer shell may not import main',
  );
  await assertRefused(
    'electron/shell/probe.ts',
    "import '../server/httpServer.ts';\n",
    'layer shell may not import server',
  );
  await assertAllowed('electron/main/probe.ts', "import '../shell/appOrigin.ts';\n");
  for (const layer of ['app', 'server', 'cli', 'engine']) {
    await assertRefused(
      `electron/${layer}/probe.ts`,
      "import '../shell/appOrigin.ts';\n",
      `layer ${layer} may not import shell`,
    );
  }
});

test('every layer may import itself and the layers its entry lists', async () => {
  await assertAllowed(
    'electron/engine/probe.ts',
    "import './storage/daySchema.ts';\nimport '../../shared/tick.ts';\n",
  );
  await assertAllowed('electron/feeds/probe.ts', "import '../engine/tickStoreApi.ts';\n");
  await assertAllowed('electron/server/probe.ts', "import '../app/tickscopeService.ts';\n");
  await assertAllowed('electron/cli/probe.ts', "import '../migration/migrationRun.ts';\n");
  await assertAllowed('electron/main/probe.ts', "import '../app/tickscopeService.ts';\nimport 'electron';\n");
  await assertAllowed('renderer/live/Probe.tsx', "import '../../shared/tick.ts';\nimport 'react';\n");
});

test('the entry shells: cli starts the server, but neither imports main and the server imports no cli', async () => {
  await assertAllowed('electron/cli/probe.ts', "import '../server/httpServer.ts';\n");
  await assertRefused(
    'electron/cli/probe.ts',
    "import '../main/main.ts';\n",
    'layer cli may not import main',
  );
  await assertRefused(
    'electron/server/probe.ts',
    "import '../cli/serveArgs.ts';\n",
    'layer server may not import cli',
  );
  await assertRefused(
    'electron/server/probe.ts',
    "import '../main/main.ts';\n",
    'layer server may not import main',
  );
});

test('the renderer may not import electron/ (only shared/), nor Node', async () => {
  await assertRefused(
    'renderer/live/Probe.tsx',
    "import { openTickStore } from '../../electron/engine/tickStore.ts';\nexport const o = openTickStore;\n",
    'layer renderer may not import engine',
    'renderer may import: shared',
  );
  await assertRefused(
    'renderer/probe.ts',
    "import 'node:path';\n",
    'may not import node:path',
    'no Node built-ins',
  );
  await assertRefused('renderer/probe.ts', "import 'ws';\n", 'may not import ws');
});

test('shared may import nothing of electron/ or renderer/, nor Node, electron, better-sqlite3 or ws', async () => {
  await assertRefused(
    'shared/ipc/probe.ts',
    "import '../../electron/engine/config.ts';\n",
    'layer shared may not import engine (shared/ipc/probe.ts -> electron/engine/config.ts); shared may import: nothing but itself',
  );
  await assertRefused(
    'shared/probe.ts',
    "import '../renderer/main.tsx';\n",
    'layer shared may not import renderer',
  );
  for (const specifier of ['fs', 'node:fs', 'fs/promises', 'electron', 'better-sqlite3', 'ws']) {
    await assertRefused(
      'shared/probe.ts',
      `import '${specifier}';\n`,
      `layer shared may not import ${specifier}`,
    );
  }
  // no-restricted-imports never saw dynamic imports; the layer rule does.
  await assertRefused(
    'shared/probe.ts',
    "export const z = () => import('node:zlib');\n",
    'may not import node:zlib',
  );
  await assertAllowed('shared/probe.ts', "import 'zod';\nimport './tick.ts';\n");
});

test('only electron/main/ may import the electron package', async () => {
  for (const layer of ['engine', 'feeds', 'migration', 'app', 'server', 'cli']) {
    await assertRefused(
      `electron/${layer}/probe.ts`,
      "import { app } from 'electron';\nexport { app };\n",
      `layer ${layer} may not import electron`,
      'only electron/main/ knows Electron',
    );
  }
  await assertRefused(
    'electron/engine/probe.ts',
    "import 'electron/main';\n",
    'may not import electron/main',
  );
  await assertAllowed('electron/engine/probe.ts', "import 'node:fs';\nimport 'better-sqlite3';\n");
});

test('nothing in the table may import test/ or build/', async () => {
  await assertRefused(
    'electron/engine/probe.ts',
    "import '../../test/helpers/tempDir.ts';\n",
    'layer engine may not import test/, which is in no layer (electron/engine/probe.ts -> test/helpers/tempDir.ts)',
  );
  await assertRefused(
    'electron/main/probe.ts',
    "import '../../build/scripts/buildElectron.ts';\n",
    'may not import build/',
  );
  await assertRefused('renderer/probe.ts', "import '../test/helpers/waitFor.ts';\n", 'may not import test/');
  await assertRefused('shared/probe.ts', "import '../../outside.ts';\n", 'a file outside the repository');
});

test('test/ and build/ are outside the table and may import anything', async () => {
  await assertAllowed(
    'test/unit/probe.test.ts',
    "import 'electron';\nimport 'node:fs';\nimport '../../electron/main/main.ts';\nimport '../../renderer/main.tsx';\n",
  );
  await assertAllowed(
    'build/scripts/probe.ts',
    "import '../../electron/engine/tickStore.ts';\nimport 'electron';\n",
  );
});

test('a file under electron/ in no layer fails until its folder is added to the table', async () => {
  await assertRefused(
    'electron/newthing/probe.ts',
    'export const x = 1;\n',
    'electron/newthing/probe.ts is under electron/ but in no layer',
  );
});

test('the rule still applies when the repository is reached through a symlink', async () => {
  // The config's own URL is resolved through symlinks, eslint's file names are not: the rule must
  // not mistake every file for one outside the table and pass silently.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tickscope-layers-'));
  try {
    const link = path.join(dir, 'repo');
    await symlink(ROOT, link, 'dir');
    const linked = new ESLint({ cwd: link, overrideConfigFile: 'build/eslint.config.js' });
    const [result] = await linked.lintText("import '../app/storeHolder.ts';\n", {
      filePath: 'electron/engine/probe.ts',
    });
    assert.ok(result);
    assert.deepEqual(
      result.messages.filter((m) => m.ruleId === RULE).map((m) => m.message),
      [
        'layer engine may not import app (electron/engine/probe.ts -> electron/app/storeHolder.ts); ' +
          'engine may import: shared',
      ],
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the real tree has no layer violations', async () => {
  // Only the layer rule, so this stays fast and does not fail on other engineers' unrelated lint.
  const tree = new ESLint({
    cwd: ROOT,
    overrideConfigFile: 'build/eslint.config.js',
    ruleFilter: ({ ruleId }) => ruleId === RULE,
  });
  const results = await tree.lintFiles(['electron', 'shared', 'renderer']);
  assert.ok(results.length > 100, `expected to lint the whole tree, linted ${results.length} files`);
  const violations = results.flatMap((r) =>
    r.messages.map(
      (m) => `${r.filePath.slice(ROOT.length)}:${m.line}: ${m.message} [${m.ruleId ?? 'parse'}]`,
    ),
  );
  if (violations.length > 0) console.log(`layer violations in the tree:\n${violations.join('\n')}`);
  assert.deepEqual(violations, []);
});
