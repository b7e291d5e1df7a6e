// What an electron-builder package holds, checked as pure functions over the builder config,
// package.json and esbuild's metafile and output text. Pure so that the packaging test can also
// hand them altered inputs and see each check fail: a check that cannot fail proves nothing.
// Every function returns its problems as sentences naming the file and the patterns; [] is good.
import { isBuiltin } from 'node:module';
import path from 'node:path';
import type { Metafile } from 'esbuild';
import { Minimatch } from 'minimatch';

/** A file the packaged app needs, relative to the app folder (the project root at build time). */
export interface NeededFile {
  path: string;
  /** Who needs it, for the message. */
  why: string;
}

export interface PackageJson {
  main?: string;
  type?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/**
 * The string patterns of a `files` or `asarUnpack` value. FileSet objects (from/to/filter) map
 * files elsewhere, which these checks do not model; failing on them beats passing on a guess.
 */
export function stringPatterns(value: unknown, key: string): string[] {
  if (value == null) return [];
  const list: unknown[] = Array.isArray(value) ? value : [value];
  if (list.some((p) => typeof p !== 'string')) {
    throw new Error(`${key} has FileSet entries, which test/helpers/packageContents.ts does not model`);
  }
  return list as string[];
}

// electron-builder's pattern handling (app-builder-lib out/fileMatcher.js and out/util/filter.js),
// so that a pattern means here what it means to a release build: dot files match, `./` is
// dropped, a plain folder name also means everything under it, and patterns apply in order, a
// later `!x` excluding and a later include re-including.
const minimatchOptions = { dot: true };

function hasMagic(m: Minimatch): boolean {
  return m.set.length > 1 || m.set[0].some((part) => typeof part !== 'string');
}

function compile(patterns: string[]): { source: string; m: Minimatch }[] {
  const out: { source: string; m: Minimatch }[] = [];
  for (const source of patterns) {
    const p = path.posix.normalize((source.startsWith('./') ? source.slice(2) : source).replace(/\\/g, '/'));
    const m = new Minimatch(p, minimatchOptions);
    out.push({ source, m });
    if (!p.includes('.') && !hasMagic(m))
      out.push({ source, m: new Minimatch(`${p}/**/*`, minimatchOptions) });
  }
  return out;
}

/** Why `file` is left out by `patterns` (none includes it, or which `!` excludes it); null if kept. */
export function leftOutBy(file: string, patterns: string[]): string | null {
  let match = false;
  let excludedBy: string | null = null;
  for (const { source, m } of compile(patterns)) {
    if (match !== m.negate) continue;
    const next = m.match(file);
    if (match && !next) excludedBy = source;
    match = next;
  }
  if (match) return null;
  return excludedBy ? `excluded by '${excludedBy}'` : 'matched by no pattern';
}

const list = (patterns: string[]) => `[${patterns.map((p) => `'${p}'`).join(', ')}]`;

/** Needed app files that the `files` patterns leave out of the package. */
export function missingFromFiles(needed: NeededFile[], files: string[]): string[] {
  return needed.flatMap((f) => {
    const why = leftOutBy(f.path, files);
    return why ? [`${f.path} (${f.why}) is not packaged: ${why} in files ${list(files)}`] : [];
  });
}

/** Needed files that must live outside app.asar but that `asarUnpack` leaves inside it. */
export function notUnpacked(needed: NeededFile[], asarUnpack: string[]): string[] {
  return needed.flatMap((f) => {
    const why = leftOutBy(f.path, asarUnpack);
    return why
      ? [`${f.path} (${f.why}) must be unpacked from app.asar: ${why} in asarUnpack ${list(asarUnpack)}`]
      : [];
  });
}

/**
 * Dependency files that the `!` patterns of `files` drop: electron-builder copies production
 * node_modules with `**\/*` plus only the exclusions of `files` (getNodeModuleFileMatcher).
 */
export function droppedFromNodeModules(needed: NeededFile[], files: string[]): string[] {
  const patterns = ['**/*', ...files.filter((p) => p.startsWith('!'))];
  return needed.flatMap((f) => {
    const why = leftOutBy(f.path, patterns);
    return why ? [`${f.path} (${f.why}) is not packaged: ${why} in files ${list(files)}`] : [];
  });
}

/** `pkg/sub/path` -> `pkg`, `@scope/pkg/sub` -> `@scope/pkg`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * ws requires these native speed-ups inside try/catch and falls back to JavaScript without them.
 * They are not dependencies, so they are not in the package: fine only while ws alone asks for
 * them and does so in a try (a static import or an unguarded require would throw at load).
 */
export const OPTIONAL_NATIVES = ['bufferutil', 'utf-8-validate'];

/**
 * What a sandboxed preload's require can load (Electron's "Process Sandboxing" docs): anything
 * else throws when the page opens, however the package is assembled.
 */
export const SANDBOXED_PRELOAD_MODULES = ['electron', 'events', 'timers', 'url'];

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface ExternalsInput {
  metafile: Metafile;
  /** Output path (as in metafile.outputs) -> the bundle's role, from buildElectron.ts. */
  kindOf: (output: string) => 'main' | 'worker' | 'preload';
  pkg: PackageJson;
  /** The source text of a metafile input, to see how it requires an optional package. */
  sourceOf: (input: string) => string;
}

/** External imports of the bundles that will not resolve in the packaged app. */
export function externalImportProblems({ metafile, kindOf, pkg, sourceOf }: ExternalsInput): string[] {
  const deps = Object.keys(pkg.dependencies ?? {});
  const devDeps = Object.keys(pkg.devDependencies ?? {});
  const problems = new Set<string>();
  for (const [output, out] of Object.entries(metafile.outputs)) {
    for (const imp of out.imports) {
      if (!imp.external) continue;
      const spec = imp.path;
      const name = packageName(spec.replace(/^node:/, ''));
      if (kindOf(output) === 'preload') {
        if (!SANDBOXED_PRELOAD_MODULES.includes(spec)) {
          problems.add(
            `${output} (the sandboxed preload) imports '${spec}', but a sandboxed preload can only require ${list(SANDBOXED_PRELOAD_MODULES)}`,
          );
        }
        continue;
      }
      if (isBuiltin(spec)) continue;
      if (name === 'electron') {
        // Electron provides it at run time; electron-builder refuses a build with it in dependencies.
        if (deps.includes('electron') || !devDeps.includes('electron')) {
          problems.add(`${output} imports 'electron', which must be a devDependency only, not a dependency`);
        }
        continue;
      }
      if (deps.includes(name)) continue;
      if (OPTIONAL_NATIVES.includes(name)) {
        for (const p of optionalImportProblems(metafile, name, sourceOf)) problems.add(`${output}: ${p}`);
        continue;
      }
      problems.add(
        `${output} imports '${spec}', which electron-builder will not pack: not a Node builtin, not electron, and not in package.json dependencies ${list(deps)}`,
      );
    }
  }
  return [...problems];
}

function optionalImportProblems(
  metafile: Metafile,
  name: string,
  sourceOf: (input: string) => string,
): string[] {
  const problems: string[] = [];
  const guarded = new RegExp(`try\\s*\\{[^}]*\\brequire\\(\\s*['"]${escapeRe(name)}['"]\\s*\\)`);
  for (const [input, info] of Object.entries(metafile.inputs)) {
    for (const imp of info.imports) {
      if (!imp.external || packageName(imp.path) !== name) continue;
      if (!/(^|\/)node_modules\/ws\//.test(input)) {
        problems.push(
          `${input} imports the optional '${name}', which is not packaged (only ws may ask for it, in a try)`,
        );
      } else if (imp.kind !== 'require-call' || !guarded.test(sourceOf(input))) {
        problems.push(
          `${input} loads the optional '${name}' other than by require() in a try, but it is not packaged`,
        );
      }
    }
  }
  return problems;
}

/** A package the bundles leave external, as it sits in node_modules. */
export interface ExternalPackage {
  name: string;
  /** Its files that load at run time (package.json, JS, .node binaries), relative to the app folder. */
  files: string[];
  /** Packages its own JS requires by bare name (builtins left out), with their run-time files. */
  requires: RequiredPackage[];
  /** The worker bundles importing it: they resolve it from app.asar.unpacked/node_modules. */
  importedByWorkers: string[];
}

export interface RequiredPackage {
  name: string;
  /** Relative to the app folder, as `ExternalPackage.files`. */
  files: string[];
}

/** External packages that are dropped, or that stay in app.asar where they cannot be loaded. */
export function externalPackageProblems(
  packages: ExternalPackage[],
  files: string[],
  asarUnpack: string[],
): string[] {
  return packages.flatMap((p) => {
    const all = p.files.map((f) => ({ path: f, why: `run-time file of ${p.name}` }));
    // The OS loader opens a native binary from disk; it cannot read one inside an archive.
    const binaries = p.files
      .filter((f) => f.endsWith('.node'))
      .map((f) => ({ path: f, why: `native binary of ${p.name}` }));
    const problems = [...droppedFromNodeModules(all, files), ...notUnpacked(binaries, asarUnpack)];
    if (p.importedByWorkers.length > 0) {
      const by = `${p.name}, imported by ${p.importedByWorkers.join(', ')}, which resolve it from app.asar.unpacked/node_modules`;
      problems.push(
        ...notUnpacked(
          p.files.map((f) => ({ path: f, why: by })),
          asarUnpack,
        ),
      );
      // Node resolves a package's own requires from beside it: the worker's copy, unpacked.
      for (const r of p.requires) {
        const need = r.files.map((f) => ({
          path: f,
          why: `required by ${p.name}, which a worker resolves from app.asar.unpacked/node_modules`,
        }));
        problems.push(...droppedFromNodeModules(need, files), ...notUnpacked(need, asarUnpack));
      }
    }
    return problems;
  });
}

/** One emitted bundle: its path as packaged (dist/electron/x.js) and its text. */
export interface Bundle {
  file: string;
  kind: 'main' | 'worker' | 'preload';
  text: string;
}

/** A file a bundle loads by a path it builds from `names` (string literals in its code). */
export interface PathLoad {
  by: string;
  names: string[];
  /** Where the build puts the file, relative to the app folder. */
  file: string;
}

export interface LoadedFile extends NeededFile {
  worker: boolean;
}

const quoted = (text: string, s: string) => new RegExp(`["'\`]${escapeRe(s)}["'\`]`).test(text);

/**
 * File names a bundle spells out: files it may load by path at run time. esbuild's own module keys
 * for bundled CommonJS packages (`"node_modules/ws/lib/sender.js"(exports, module) {`) name files
 * that are inside the bundle, not loaded: a name followed by `(` is one of those. A module
 * specifier (`from "jspurefix/dist/…/index.js"`, `require(…)`, `import(…)`) is an import of an
 * external package, which the externals check covers.
 */
export function namedFiles(text: string): string[] {
  const re =
    /(?<!(?:\bfrom\s*|\bimport\(\s*|\brequire\(\s*))["'`]((?:\.{1,2}\/)*[\w@-][\w.@/-]*\.(?:js|cjs|mjs|html|png|ico|svg|node|wasm))["'`](?!\()/g;
  return [...new Set([...text.matchAll(re)].map((m) => m[1]))];
}

/**
 * Worker names a bundle spells out. workerEntryUrl() builds `./<name>.js` from a name in a
 * variable, so the path itself is never a literal; the names are, and by convention end in
 * "Worker" (which the asarUnpack pattern relies on too).
 */
export function namedWorkers(text: string): string[] {
  return [...new Set([...text.matchAll(/["'`]([a-z][A-Za-z0-9_]*Worker)["'`]/g)].map((m) => m[1]))];
}

/**
 * The files the bundles load by path: the declared ones, checked against the bundles' text both
 * ways (a declared name no bundle spells, or a spelt file name nobody declared, is a problem), and
 * a `<name>.js` beside the bundle for every worker name it spells.
 */
export function pathLoads(
  bundles: Bundle[],
  declared: PathLoad[],
): { loads: LoadedFile[]; problems: string[] } {
  const problems: string[] = [];
  const loads = new Map<string, LoadedFile>();
  for (const d of declared) {
    const bundle = bundles.find((b) => b.file === d.by);
    if (!bundle) {
      problems.push(`${d.by}, said to load ${d.file}, is not built`);
      continue;
    }
    for (const n of d.names.filter((n) => !quoted(bundle.text, n))) {
      problems.push(
        `${d.by} no longer names '${n}' (for ${d.file}): update the table of files loaded by path`,
      );
    }
    loads.set(d.file, { path: d.file, why: `loaded by path by ${d.by}`, worker: false });
  }
  for (const b of bundles) {
    for (const n of namedFiles(b.text)) {
      if (!declared.some((d) => d.by === b.file && d.names.includes(n))) {
        problems.push(
          `${b.file} names '${n}', a file it may load at run time: add it, with where the build puts it, to the table of files loaded by path`,
        );
      }
    }
    for (const w of namedWorkers(b.text)) {
      const file = path.posix.join(path.posix.dirname(b.file), `${w}.js`);
      if (!loads.has(file))
        loads.set(file, { path: file, why: `worker '${w}' started by ${b.file}`, worker: true });
    }
  }
  for (const b of bundles.filter((b) => b.kind === 'worker')) {
    if (!loads.has(b.file)) {
      problems.push(
        `${b.file} is built as a worker but no bundle names '${path.posix.basename(b.file, '.js')}': this check no longer sees how workers are started`,
      );
    }
  }
  return { loads: [...loads.values()], problems };
}

/** Loaded files that the build does not produce. */
export function notProduced(loads: NeededFile[], produced: Set<string>): string[] {
  return loads
    .filter((l) => !produced.has(l.path))
    .map(
      (l) => `${l.path} (${l.why}) is not produced by the build, which makes ${list([...produced].sort())}`,
    );
}

/** The packaged main entry must be the main bundle, and an ESM one needs "type": "module". */
export function mainEntryProblems(
  pkg: PackageJson,
  extraMetadata: Record<string, unknown> | null | undefined,
  mainBundle: Bundle,
  mainIsEsm: boolean,
): string[] {
  const problems: string[] = [];
  const packagedMain = (extraMetadata?.main as string | undefined) ?? pkg.main;
  if (packagedMain !== mainBundle.file) {
    problems.push(
      `the packaged app's main is '${packagedMain}' (extraMetadata.main, else package.json main), but the main bundle is ${mainBundle.file}`,
    );
  }
  // `npm start` runs `electron .`, which reads package.json itself.
  if (pkg.main !== mainBundle.file) {
    problems.push(`package.json main is '${pkg.main}', but the main bundle is ${mainBundle.file}`);
  }
  // Electron picks a .js file's module format from the packaged package.json.
  const type = (extraMetadata?.type as string | undefined) ?? pkg.type;
  if (mainIsEsm && mainBundle.file.endsWith('.js') && type !== 'module') {
    problems.push(
      `${mainBundle.file} is an ES module, but the packaged package.json type is '${type}', not 'module'`,
    );
  }
  return problems;
}
