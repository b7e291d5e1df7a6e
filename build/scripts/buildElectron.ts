// Bundles the Electron side into dist/electron/: main (ESM), the preload (CommonJS, because
// sandboxed preloads cannot be ES modules), every engine worker entry beside main.js (the
// engine's spawnWorker resolves `./<name>.js` next to the bundle), and the tray icons.
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { BuildOptions } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const outDir = path.join(root, 'dist/electron');
const workersDir = path.join(root, 'electron/engine/workers');

/** Worker names as the engine declares them (`type WorkerName = 'a' | 'b'` in spawnWorker.ts). */
export async function workerEntries(): Promise<string[]> {
  const src = await readFile(path.join(workersDir, 'spawnWorker.ts'), 'utf8');
  const decl = /type\s+WorkerName\s*=([^;]+);/.exec(src);
  if (!decl)
    throw new Error('spawnWorker.ts no longer declares `type WorkerName = ...`; update buildElectron.ts');
  return [...decl[1].matchAll(/'([A-Za-z0-9_]+)'/g)].map((m) => m[1]);
}

// Native modules and their optional helpers stay in node_modules.
const external = ['electron', 'better-sqlite3', 'bufferutil', 'utf-8-validate'];

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
};

// ESM bundles of CommonJS dependencies may call require(); give them one.
const esmBanner = {
  js: "import { createRequire as __tickscopeCreateRequire } from 'node:module'; const require = __tickscopeCreateRequire(import.meta.url);",
};

/** Bundles the engine's worker entries into `dir`, where a bundle of engine code looks for them. */
export async function bundleWorkers(dir: string): Promise<string[]> {
  const names = await workerEntries();
  const workers = names.map((n) => path.join(workersDir, `${n}.ts`));
  const missing = workers.filter((w) => !existsSync(w));
  if (missing.length > 0) {
    throw new Error(
      `worker entries named in spawnWorker.ts are missing: ${missing.map((m) => path.relative(root, m)).join(', ')}`,
    );
  }
  await build({
    ...common,
    entryPoints: Object.fromEntries(names.map((n, i) => [n, workers[i]])),
    outdir: dir,
    format: 'esm',
    external,
    banner: esmBanner,
  });
  return names;
}

/** Bundles one Node entry (ESM, natives external) the way main.js is bundled. */
export async function bundleNodeEntry(entry: string, dir: string, name: string): Promise<void> {
  await build({
    ...common,
    entryPoints: { [name]: entry },
    outdir: dir,
    format: 'esm',
    external,
    banner: esmBanner,
  });
}

async function main(): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const [names] = await Promise.all([
    bundleWorkers(outDir),
    bundleNodeEntry(path.join(root, 'electron/main/main.ts'), outDir, 'main'),
    // The migration's worker (electron/migration/migrationWorkerClient.ts resolves it beside main.js).
    bundleNodeEntry(path.join(root, 'electron/migration/migrationWorker.ts'), outDir, 'migrationWorker'),
    build({
      ...common,
      entryPoints: { preload: path.join(root, 'electron/main/preload.ts') },
      outdir: outDir,
      outExtension: { '.js': '.cjs' },
      format: 'cjs',
      // The contract's channel table brings zod along; the preload loads with every page.
      minify: true,
      external: ['electron'],
    }),
    ...['tray-16.png', 'tray-32.png'].map((f) =>
      copyFile(path.join(root, 'resources', f), path.join(outDir, f)),
    ),
  ]);
  console.log(
    `buildElectron: dist/electron/{main.js, preload.cjs, ${names.map((n) => `${n}.js`).join(', ')}}`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(`buildElectron: ${(err as Error).message}`);
    process.exit(1);
  });
}
