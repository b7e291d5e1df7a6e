// The packaging config as electron-builder itself reads and validates it (app-builder-lib's own
// loader and JSON-schema check, the ones `npm run dist` uses), so a misspelt fuse key fails here
// instead of being ignored by a release build. And what the package must hold for the app to
// start: packaging runs only on a developer machine or in release CI (it downloads Electron), so
// a bundle file left out of `files`, or a worker left inside app.asar, would otherwise be found
// by the first user. The bundles are built here in memory with buildElectron.ts's own options.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Configuration } from 'app-builder-lib';
import { validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { getConfig } from 'app-builder-lib/out/util/config/load.js';
import { build } from 'esbuild';
import type { Metafile } from 'esbuild';
import { ESM_SCOPE_FILE, electronBuilds, outDir, trayIcons } from '../../../build/scripts/buildElectron.ts';
import viteConfig from '../../../build/vite.config.ts';
import {
  externalImportProblems,
  externalPackageProblems,
  mainEntryProblems,
  missingFromFiles,
  notProduced,
  notUnpacked,
  packageName,
  pathLoads,
  stringPatterns,
} from '../../helpers/packageContents.ts';
import type {
  Bundle,
  ExternalPackage,
  PackageJson,
  PathLoad,
  RequiredPackage,
} from '../../helpers/packageContents.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

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

// --- What the package must contain ---------------------------------------------------------

const MAIN = 'dist/electron/main.js';

// What main.js opens by a path it builds beside itself (`here` in electron/main/main.ts): the
// string literals its code spells for each, and where the build puts the file. Worker entries are
// found from the bundles' text instead (packageContents.ts namedWorkers).
const LOADED_BY_PATH: PathLoad[] = [
  { by: MAIN, names: ['preload.cjs'], file: 'dist/electron/preload.cjs' },
  { by: MAIN, names: ['tray-16.png'], file: 'dist/electron/tray-16.png' },
  { by: MAIN, names: ['tray-32.png'], file: 'dist/electron/tray-32.png' },
  { by: MAIN, names: ['../renderer', 'index.html'], file: 'dist/renderer/index.html' },
];

const posix = (p: string) => p.split(path.sep).join('/');

/** A metafile path as it sits in the packaged app: node_modules/... even if node_modules is a link. */
function appPath(metafilePath: string): string {
  const p = posix(metafilePath);
  const at = p.indexOf('node_modules/');
  return at < 0 ? p : p.slice(at);
}

interface Facts {
  config: Configuration;
  files: string[];
  asarUnpack: string[];
  pkg: PackageJson;
  metafile: Metafile;
  bundles: Bundle[];
  kindOf: (output: string) => Bundle['kind'];
  mainIsEsm: boolean;
  /** Everything `npm run build` writes that the app loads, as dist/... paths. */
  produced: Set<string>;
  externalPackages: ExternalPackage[];
}

let facts: Promise<Facts> | null = null;

/** Built once for all tests: the esbuild runs are most of this file's time. */
function loadFacts(): Promise<Facts> {
  facts ??= (async () => {
    const config = await loadBuilderConfig();
    const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;
    // write: false, so nothing lands here; the directory only names the outputs.
    const tmpOut = path.join(os.tmpdir(), 'tickscope-packaging-check');
    const builds = await electronBuilds(tmpOut);
    const runs = await Promise.all(
      builds.map(async ({ kind, options }) => ({
        kind,
        result: await build({
          ...options,
          write: false,
          metafile: true,
          absWorkingDir: ROOT,
          logLevel: 'silent',
        }),
      })),
    );
    const metafile: Metafile = { inputs: {}, outputs: {} };
    const kinds = new Map<string, Bundle['kind']>();
    const bundles: Bundle[] = [];
    const toDist = (abs: string) => posix(path.relative(ROOT, path.join(outDir, path.relative(tmpOut, abs))));
    // Outputs are keyed by their packaged path, so that problems name dist/electron/x.js.
    for (const { kind, result } of runs) {
      Object.assign(metafile.inputs, result.metafile.inputs);
      for (const [out, info] of Object.entries(result.metafile.outputs)) {
        const file = toDist(path.resolve(ROOT, out));
        metafile.outputs[file] = info;
        kinds.set(file, kind);
      }
      for (const f of result.outputFiles) {
        if (!f.path.endsWith('.map')) bundles.push({ file: toDist(f.path), kind, text: f.text });
      }
    }
    const produced = new Set(bundles.map((b) => b.file));
    // buildElectron.ts copies these from resources/ beside main.js.
    for (const icon of trayIcons) {
      if (existsSync(path.join(ROOT, 'resources', icon)))
        produced.add(posix(path.relative(ROOT, path.join(outDir, icon))));
    }
    // Vite builds <root>/index.html to <outDir>/index.html.
    const rendererRoot = viteConfig.root ?? ROOT;
    const rendererOut = viteConfig.build?.outDir;
    if (rendererOut && existsSync(path.join(rendererRoot, 'index.html'))) {
      produced.add(posix(path.relative(ROOT, path.join(path.resolve(ROOT, rendererOut), 'index.html'))));
    }
    const kindOf = (output: string) => kinds.get(output) ?? assert.fail(`no bundle wrote ${output}`);
    return {
      config,
      files: stringPatterns(config.files, 'files'),
      asarUnpack: stringPatterns(config.asarUnpack, 'asarUnpack'),
      pkg,
      metafile,
      bundles,
      kindOf,
      mainIsEsm: builds.some((b) => b.kind === 'main' && b.options.format === 'esm'),
      produced,
      externalPackages: await externalPackages(metafile, kindOf, pkg),
    };
  })();
  return facts;
}

/** The production dependencies the bundles leave external, with what each loads at run time. */
async function externalPackages(
  metafile: Metafile,
  kindOf: (output: string) => Bundle['kind'],
  pkg: PackageJson,
): Promise<ExternalPackage[]> {
  const deps = Object.keys(pkg.dependencies ?? {});
  const byName = new Map<string, Set<string>>();
  for (const [output, out] of Object.entries(metafile.outputs)) {
    for (const imp of out.imports) {
      const name = packageName(imp.path);
      if (!imp.external || isBuiltin(imp.path) || !deps.includes(name)) continue;
      const workers = byName.get(name) ?? new Set<string>();
      if (kindOf(output) === 'worker') workers.add(output);
      byName.set(name, workers);
    }
  }
  return Promise.all(
    [...byName].map(async ([name, workers]) => {
      // esbuild follows the package's requires the way Node will; what it reaches is what loads.
      const reach = await build({
        stdin: { contents: `require(${JSON.stringify(name)});`, resolveDir: ROOT },
        bundle: true,
        platform: 'node',
        write: false,
        metafile: true,
        absWorkingDir: ROOT,
        external: ['*.node'],
        logLevel: 'silent',
      });
      const inputs = Object.keys(reach.metafile.inputs)
        .filter((i) => i !== '<stdin>')
        .map(appPath);
      const dir = path.join(ROOT, 'node_modules', name);
      // Native binaries are found at run time by computed paths, which esbuild cannot follow.
      const binaries = (await readdir(dir, { recursive: true }))
        .filter((f) => f.endsWith('.node') && !f.includes('node_modules'))
        .map((f) => appPath(path.relative(ROOT, path.join(dir, f))));
      return {
        name,
        files: [
          `node_modules/${name}/package.json`,
          ...inputs.filter((i) => i.startsWith(`node_modules/${name}/`)),
          ...binaries,
        ],
        requires: requiredPackages(name, inputs, reach.metafile),
        importedByWorkers: [...workers].sort(),
      };
    }),
  );
}

/**
 * The packages a package's JS reaches outside itself, each with the files of it that load: the
 * reached JS, its package.json, and the `.node` binaries required by path (esbuild leaves those
 * external; DuckDB's bindings pick a per-platform binary package that way).
 */
function requiredPackages(name: string, inputs: string[], reach: Metafile): RequiredPackage[] {
  const files = new Map<string, Set<string>>();
  const add = (file: string): void => {
    const pkgName = packageName(file.slice('node_modules/'.length));
    if (pkgName === name) return;
    const set = files.get(pkgName) ?? new Set([`node_modules/${pkgName}/package.json`]);
    set.add(file);
    files.set(pkgName, set);
  };
  for (const i of inputs) if (i.startsWith('node_modules/')) add(i);
  for (const info of Object.values(reach.inputs))
    for (const imp of info.imports)
      if (imp.external && imp.path.endsWith('.node') && !imp.path.startsWith('.'))
        add(`node_modules/${imp.path}`);
  return [...files].map(([n, f]) => ({ name: n, files: [...f].sort() }));
}

const sourceOf = (input: string) => readFileSync(path.resolve(ROOT, input), 'utf8');

const report = (problems: string[]) => `\n  ${problems.join('\n  ')}`;

test('every package the bundles leave external resolves in the package: a builtin, electron, or a production dependency', async () => {
  const { metafile, kindOf, pkg } = await loadFacts();
  const problems = externalImportProblems({
    metafile,
    kindOf,
    pkg,
    sourceOf,
  });
  assert.deepEqual(problems, [], report(problems));
});

test('better-sqlite3 is packaged, its .node binaries outside app.asar, and all of it unpacked for the workers', async () => {
  const { externalPackages, files, asarUnpack } = await loadFacts();
  const sqlite = externalPackages.find((p) => p.name === 'better-sqlite3');
  // Guards the check below against passing on nothing.
  assert.ok(sqlite, 'no bundle imports better-sqlite3 from node_modules any more');
  assert.ok(sqlite.importedByWorkers.length > 0, 'no worker bundle imports better-sqlite3');
  assert.ok(
    sqlite.files.some((f) => f.endsWith('.node')),
    'better-sqlite3 has no .node binary',
  );
  assert.ok(sqlite.files.includes('node_modules/better-sqlite3/lib/index.js'), sqlite.files.join(', '));
  const problems = externalPackageProblems(externalPackages, files, asarUnpack);
  assert.deepEqual(problems, [], report(problems));
});

test('every file the bundles load is built, inside `files`, and for a worker entry outside app.asar', async () => {
  const { bundles, produced, files, asarUnpack } = await loadFacts();
  const { loads, problems } = pathLoads(bundles, LOADED_BY_PATH);
  const workers = loads.filter((l) => l.worker);
  // Guards the checks below against passing on nothing: the engine's three and the migration's.
  assert.ok(workers.length >= 4, `only ${workers.map((w) => w.path).join(', ')} found as workers`);
  const main = { path: MAIN, why: "the app's main entry", worker: false };
  problems.push(
    ...notProduced([main, ...loads], produced),
    ...missingFromFiles([main, ...loads], files),
    ...notUnpacked(workers, asarUnpack),
  );
  assert.deepEqual(problems, [], report(problems));
});

test('the packaged main is the main bundle, an ES module under "type": "module"', async () => {
  const { pkg, config, bundles, mainIsEsm } = await loadFacts();
  const main = bundles.find((b) => b.kind === 'main');
  assert.ok(main, 'buildElectron.ts builds no main bundle');
  assert.equal(main.file, MAIN);
  const problems = mainEntryProblems(pkg, config.extraMetadata, main, mainIsEsm);
  assert.deepEqual(problems, [], report(problems));
});

test('the unpacked workers keep an ES module scope: the package.json beside them is built and unpacked too', async () => {
  const { files, asarUnpack } = await loadFacts();
  assert.deepEqual(JSON.parse(ESM_SCOPE_FILE.text), { type: 'module' });
  const scope = {
    path: path.posix.join(path.relative(ROOT, outDir).split(path.sep).join('/'), ESM_SCOPE_FILE.name),
    why: 'the ES module scope of the unpacked workers',
    worker: false,
  };
  const problems = [...missingFromFiles([scope], files), ...notUnpacked([scope], asarUnpack)];
  assert.deepEqual(problems, [], report(problems));
  assert.equal(
    notUnpacked(
      [scope],
      asarUnpack.filter((p) => !p.endsWith('package.json')),
    ).length,
    1,
  );
});

// --- The checks can fail ---------------------------------------------------------------------

test('a files list without dist/** reports every bundle and loaded file, with the patterns', async () => {
  const { bundles } = await loadFacts();
  const { loads } = pathLoads(bundles, LOADED_BY_PATH);
  const files = ['package.json', '!dist/**/*.map'];
  const problems = missingFromFiles(loads, files);
  assert.equal(problems.length, loads.length, report(problems));
  const preload = problems.find((p) => p.startsWith('dist/electron/preload.cjs '));
  assert.ok(preload, report(problems));
  assert.match(preload, /matched by no pattern in files \['package\.json', '!dist\/\*\*\/\*\.map'\]/);
});

test('an exclusion in files is named when it drops a loaded file', async () => {
  const { bundles } = await loadFacts();
  const { loads } = pathLoads(bundles, LOADED_BY_PATH);
  const problems = missingFromFiles(loads, ['dist/**', '!dist/**/*.cjs']);
  assert.deepEqual(problems.length, 1, report(problems));
  assert.match(problems[0], /^dist\/electron\/preload\.cjs .*excluded by '!dist\/\*\*\/\*\.cjs'/);
});

test('an asarUnpack without the worker pattern reports each worker entry', async () => {
  const { bundles } = await loadFacts();
  const workers = pathLoads(bundles, LOADED_BY_PATH).loads.filter((l) => l.worker);
  const asarUnpack = ['**/*.node', 'node_modules/better-sqlite3/**'];
  const problems = notUnpacked(workers, asarUnpack);
  assert.equal(problems.length, workers.length, report(problems));
  assert.ok(
    problems.some((p) => p.startsWith('dist/electron/writerWorker.js ')),
    report(problems),
  );
  assert.ok(
    problems.some((p) => p.startsWith('dist/electron/migrationWorker.js ')),
    report(problems),
  );
  assert.match(problems[0], /asarUnpack \['\*\*\/\*\.node', 'node_modules\/better-sqlite3\/\*\*'\]/);
});

test('better-sqlite3 left in app.asar, or its binaries dropped, is reported', async () => {
  const { externalPackages, files } = await loadFacts();
  const onlyNode = externalPackageProblems(externalPackages, files, [
    '**/*.node',
    'dist/electron/*Worker.js',
  ]);
  assert.ok(
    onlyNode.some(
      (p) => p.startsWith('node_modules/better-sqlite3/lib/index.js ') && /app\.asar\.unpacked/.test(p),
    ),
    report(onlyNode),
  );
  assert.ok(!onlyNode.some((p) => /native binary/.test(p)), report(onlyNode));
  const nothing = externalPackageProblems(externalPackages, files, ['dist/electron/*Worker.js']);
  assert.ok(
    nothing.some((p) =>
      /^node_modules\/better-sqlite3\/prebuilds\/.*\.node \(native binary of better-sqlite3\)/.test(p),
    ),
    report(nothing),
  );
  const dropped = externalPackageProblems(externalPackages, [...files, '!**/*.node'], ['**/*']);
  assert.ok(
    dropped.some((p) => /\.node .*is not packaged: excluded by '!\*\*\/\*\.node'/.test(p)),
    report(dropped),
  );
});

test("DuckDB's bindings and libc check, which the export worker resolves beside it, are checked unpacked", async () => {
  const { externalPackages, files, asarUnpack } = await loadFacts();
  const duck = externalPackages.find((p) => p.name === '@duckdb/node-api');
  assert.ok(duck, 'no bundle imports @duckdb/node-api from node_modules any more');
  assert.ok(
    duck.importedByWorkers.includes('dist/electron/exportWorker.js'),
    duck.importedByWorkers.join(', '),
  );
  const bindings = duck.requires.find((r) => r.name === '@duckdb/node-bindings');
  assert.ok(bindings, duck.requires.map((r) => r.name).join(', '));
  // The platform binary, required by a path esbuild leaves external, is among what must load.
  assert.ok(
    duck.requires.some((r) =>
      r.files.some((f) => /^node_modules\/@duckdb\/node-bindings-[^/]+\/duckdb\.node$/.test(f)),
    ),
    JSON.stringify(duck.requires),
  );
  const withoutLibc = externalPackageProblems(
    externalPackages,
    files,
    asarUnpack.filter((p) => p !== 'node_modules/detect-libc/**'),
  );
  assert.ok(withoutLibc.length > 0);
  assert.ok(
    withoutLibc.every((p) => p.startsWith('node_modules/detect-libc/') && /required by @duckdb\//.test(p)),
    report(withoutLibc),
  );
});

test('an external import that is not a production dependency is reported', async () => {
  const { metafile, kindOf, pkg } = await loadFacts();
  const { 'better-sqlite3': _omitted, ...others } = pkg.dependencies ?? {};
  const problems = externalImportProblems({
    metafile,
    kindOf,
    pkg: { ...pkg, dependencies: others },
    sourceOf,
  });
  assert.ok(problems.length > 0);
  assert.ok(
    problems.every((p) => /imports 'better-sqlite3', which electron-builder will not pack/.test(p)),
    report(problems),
  );
  assert.ok(
    problems.some((p) => p.includes('writerWorker.js')),
    report(problems),
  );

  const electronAsDependency = externalImportProblems({
    metafile,
    kindOf,
    pkg: { ...pkg, dependencies: { ...pkg.dependencies, electron: '*' } },
    sourceOf,
  });
  assert.ok(
    electronAsDependency.some((p) => /'electron', which must be a devDependency only/.test(p)),
    report(electronAsDependency),
  );
});

test('optional natives pass only as ws requires them, in a try; a sandboxed preload gets only its modules', () => {
  const fake = (inputs: Metafile['inputs'], outputImports: string[], output = 'main.js'): Metafile => ({
    inputs,
    outputs: {
      [output]: {
        bytes: 0,
        inputs: {},
        exports: [],
        imports: outputImports.map((p) => ({ path: p, kind: 'require-call', external: true })),
      },
    },
  });
  const imp = (p: string, kind: 'require-call' | 'import-statement') => ({
    bytes: 0,
    imports: [{ path: p, kind, external: true }],
  });
  const pkg = { dependencies: { ws: '*' }, devDependencies: { electron: '*' } };
  const sources: Record<string, string> = {
    'node_modules/ws/lib/buffer-util.js':
      "try {\n  const bufferUtil = require('bufferutil');\n} catch (e) {}",
    'electron/app/speedy.ts': "import 'bufferutil';",
  };
  const check = (metafile: Metafile, kind: Bundle['kind'] = 'main') =>
    externalImportProblems({ metafile, kindOf: () => kind, pkg, sourceOf: (i) => sources[i] });

  const byWs = fake({ 'node_modules/ws/lib/buffer-util.js': imp('bufferutil', 'require-call') }, [
    'bufferutil',
  ]);
  assert.deepEqual(check(byWs), []);
  const byUs = fake({ 'electron/app/speedy.ts': imp('bufferutil', 'import-statement') }, ['bufferutil']);
  assert.match(check(byUs).join('\n'), /electron\/app\/speedy\.ts imports the optional 'bufferutil'/);
  const unknown = fake({ 'electron/app/pad.ts': imp('left-pad', 'import-statement') }, ['left-pad']);
  assert.match(check(unknown).join('\n'), /imports 'left-pad', which electron-builder will not pack/);
  const preloadFs = fake(
    { 'electron/main/preload.ts': imp('node:fs', 'require-call') },
    ['node:fs'],
    'preload.cjs',
  );
  assert.match(check(preloadFs, 'preload').join('\n'), /sandboxed preload\) imports 'node:fs'/);
});

test('the path-load check sees a renamed, an undeclared and an unbuilt file', async () => {
  const { bundles, produced } = await loadFacts();
  const main = bundles.find((b) => b.file === MAIN);
  assert.ok(main);
  const altered = (text: string) => bundles.map((b) => (b === main ? { ...b, text } : b));

  const renamed = pathLoads(altered(main.text.replaceAll('"preload.cjs"', '"preload.js"')), LOADED_BY_PATH);
  assert.match(renamed.problems.join('\n'), /dist\/electron\/main\.js no longer names 'preload\.cjs'/);
  assert.match(renamed.problems.join('\n'), /dist\/electron\/main\.js names 'preload\.js'/);

  const splash = pathLoads(altered(`${main.text}\nconst splash = "splash.png";`), LOADED_BY_PATH);
  assert.match(splash.problems.join('\n'), /names 'splash\.png', a file it may load at run time/);

  const newWorker = pathLoads(altered(`${main.text}\nspawnWorker("indexWorker");`), LOADED_BY_PATH);
  assert.deepEqual(newWorker.problems, []);
  assert.match(
    notProduced(newWorker.loads, produced).join('\n'),
    /dist\/electron\/indexWorker\.js \(worker 'indexWorker' started by dist\/electron\/main\.js\) is not produced/,
  );
});

test('a main entry other than the main bundle, or a CommonJS package type, is reported', async () => {
  const { pkg, bundles } = await loadFacts();
  const main = bundles.find((b) => b.kind === 'main');
  assert.ok(main);
  assert.match(
    mainEntryProblems(pkg, { main: 'dist/main.js' }, main, true).join('\n'),
    /main is 'dist\/main\.js'/,
  );
  assert.match(
    mainEntryProblems({ ...pkg, main: 'index.js' }, null, main, true).join('\n'),
    /package\.json main is 'index\.js'/,
  );
  assert.match(mainEntryProblems(pkg, { type: 'commonjs' }, main, true).join('\n'), /type is 'commonjs'/);
});
