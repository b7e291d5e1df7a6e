// Bundles the Electron side into dist/electron/: main (ESM), the preload (CommonJS, because
// sandboxed preloads cannot be ES modules), every engine worker entry beside main.js (the
// engine's spawnWorker resolves `./<name>.js` next to the bundle), and the tray icons.
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { BuildOptions } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** Where `npm run build:electron` writes; the packaging test maps its in-memory outputs here. */
export const outDir = path.join(root, 'dist/electron');
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
// jspurefix finds its FIX dictionaries through its install path and loads modules dynamically,
// so it (with its reflect-metadata polyfill) stays in node_modules rather than in the bundle.
// DuckDB (the Parquet export) loads its prebuilt binary from a per-platform package it resolves
// at run time, so it stays in node_modules too.
const external = [
  'electron',
  'better-sqlite3',
  '@duckdb/node-api',
  '@duckdb/node-bindings',
  'bufferutil',
  'utf-8-validate',
  'jspurefix',
  'reflect-metadata',
];

/**
 * Written beside the bundles. Packaged, the worker bundles are unpacked from app.asar while the
 * app's package.json stays inside it, so without this file nothing above them says they are ES
 * modules and Node would have to guess from their syntax.
 */
export const ESM_SCOPE_FILE = { name: 'package.json', text: '{ "type": "module" }\n' };

/** Copied from resources/ beside main.js, which picks one per platform. */
export const trayIcons = ['tray-16.png', 'tray-32.png'];

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

/** Worker names from spawnWorker.ts, each checked to have its `<name>.ts` entry. */
async function checkedWorkerEntries(): Promise<string[]> {
  const names = await workerEntries();
  const missing = names.map((n) => path.join(workersDir, `${n}.ts`)).filter((w) => !existsSync(w));
  if (missing.length > 0) {
    throw new Error(
      `worker entries named in spawnWorker.ts are missing: ${missing.map((m) => path.relative(root, m)).join(', ')}`,
    );
  }
  return names;
}

function workersBuild(names: string[], dir: string): BuildOptions {
  return {
    ...common,
    entryPoints: Object.fromEntries(names.map((n) => [n, path.join(workersDir, `${n}.ts`)])),
    outdir: dir,
    format: 'esm',
    external,
    banner: esmBanner,
  };
}

function nodeEntryBuild(entry: string, dir: string, name: string): BuildOptions {
  return {
    ...common,
    entryPoints: { [name]: entry },
    outdir: dir,
    format: 'esm',
    external,
    banner: esmBanner,
  };
}

/**
 * One esbuild run of the Electron build. `worker` bundles are loaded by worker threads from the
 * real file system, so packaging must unpack them from the asar (see spawnWorker.ts).
 */
export interface ElectronBuild {
  kind: 'main' | 'worker' | 'preload';
  options: BuildOptions;
}

/** Every esbuild run of `npm run build:electron`, writing into `dir`, as main() runs them. */
export async function electronBuilds(dir: string): Promise<ElectronBuild[]> {
  const names = await checkedWorkerEntries();
  return [
    { kind: 'worker', options: workersBuild(names, dir) },
    { kind: 'main', options: nodeEntryBuild(path.join(root, 'electron/main/main.ts'), dir, 'main') },
    {
      // The migration's worker (electron/migration/migrationWorkerClient.ts resolves it beside main.js).
      kind: 'worker',
      options: nodeEntryBuild(
        path.join(root, 'electron/migration/migrationWorker.ts'),
        dir,
        'migrationWorker',
      ),
    },
    {
      kind: 'preload',
      options: {
        ...common,
        entryPoints: { preload: path.join(root, 'electron/main/preload.ts') },
        outdir: dir,
        outExtension: { '.js': '.cjs' },
        format: 'cjs',
        // The contract's channel table brings zod along; the preload loads with every page.
        minify: true,
        external: ['electron'],
      },
    },
  ];
}

/** Bundles the engine's worker entries into `dir`, where a bundle of engine code looks for them. */
export async function bundleWorkers(dir: string): Promise<string[]> {
  const names = await checkedWorkerEntries();
  await build(workersBuild(names, dir));
  return names;
}

/** Bundles one Node entry (ESM, natives external) the way main.js is bundled. */
export async function bundleNodeEntry(entry: string, dir: string, name: string): Promise<void> {
  await build(nodeEntryBuild(entry, dir, name));
}

async function main(): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const [names, builds] = await Promise.all([workerEntries(), electronBuilds(outDir)]);
  await Promise.all([
    ...builds.map((b) => build(b.options)),
    ...trayIcons.map((f) => copyFile(path.join(root, 'resources', f), path.join(outDir, f))),
    writeFile(path.join(outDir, ESM_SCOPE_FILE.name), ESM_SCOPE_FILE.text),
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
