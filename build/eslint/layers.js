// A local eslint rule in the spirit of VS Code's `code-layering`: every source folder belongs to a
// layer, and a file may import only from its own layer and the layers its table entry lists. The
// table itself lives in build/eslint.config.js; this file only knows how to check it.
//
// What counts as an import: `import` (also `import type` and side-effect imports), `export ... from`,
// `export * from`, dynamic `import()` whose argument is a string literal (or a template literal
// without expressions), `import x = require('...')` and type positions like `import('../x').T`.
//
// A forbid entry with `typesOnly: true` lets the layer import that module's types (they are erased
// before run time) but nothing that would load it: electron/shell/ describes its Electron
// collaborators with Electron's own types and is handed the real objects by electron/main/.
//
// Out of scope, deliberately:
// - `new URL('./worker.ts', import.meta.url)` worker/asset references (engine/workers/spawnWorker.ts,
//   migration/migrationWorkerClient.ts) and `import()` of a computed string: they name a file at
//   run time, not a module edge the bundler or type checker follows, and they point into their own
//   folder anyway. The same goes for `import.meta.resolve()`.
// - `require()` calls: the project is ESM ("type": "module"), so there is no ambient require.
// - Package "imports" (`#x`) and tsconfig path aliases: the project uses neither; such a specifier
//   is treated like a package name.
import { existsSync, realpathSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Put this in a layer's `forbid[].modules` to mean every Node built-in, `node:` prefixed or not. */
export const NODE_BUILTINS = 'node:*';

const toPosix = (p) => p.split(path.sep).join('/');

/**
 * The file's path inside the repository. `root` comes from the config's import.meta.url, which Node
 * has resolved through symlinks; eslint's file names have not. Without this, a repository reached
 * through a symlink would put every file outside the table and the rule would pass silently.
 */
function repoRelative(root, filename) {
  const rel = toPosix(path.relative(root, filename));
  if (!rel.startsWith('../')) return rel;
  // The file may be virtual (lintText), so resolve its nearest existing ancestor.
  let dir = path.dirname(filename);
  while (!existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const real = path.join(realpathSync(dir), path.relative(dir, filename));
  return toPosix(path.relative(root, real));
}

/** Checks the table once per options object and builds what the visitors need. */
function compileTable(options) {
  const byName = new Map();
  for (const layer of options.layers) {
    if (byName.has(layer.name)) throw new Error(`layers: layer ${layer.name} is declared twice`);
    if (!layer.folder.endsWith('/')) throw new Error(`layers: folder of ${layer.name} must end with /`);
    byName.set(layer.name, layer);
  }
  for (const layer of options.layers) {
    for (const other of layer.may) {
      if (!byName.has(other)) throw new Error(`layers: ${layer.name} may import unknown layer ${other}`);
    }
  }
  // Longest folder first, so a nested folder wins over the folder that contains it.
  const byFolder = [...options.layers].sort((a, b) => b.folder.length - a.folder.length);
  return {
    root: path.resolve(options.root),
    partitioned: options.partitioned ?? [],
    layerOf: (relPath) => byFolder.find((layer) => relPath.startsWith(layer.folder)),
  };
}

const compiled = new WeakMap();
function tableFor(options) {
  let table = compiled.get(options);
  if (!table) {
    table = compileTable(options);
    compiled.set(options, table);
  }
  return table;
}

function isPathSpecifier(specifier) {
  return (
    specifier === '.' ||
    specifier === '..' ||
    specifier.startsWith('./') ||
    specifier.startsWith('../') ||
    specifier.startsWith('/') ||
    specifier.startsWith('file:')
  );
}

function modulesMatch(entry, specifier) {
  if (entry === NODE_BUILTINS) return isBuiltin(specifier);
  return specifier === entry || specifier.startsWith(`${entry}/`);
}

/** What to call a path that is in no layer: its top folder (`test/`, `build/`), else the file. */
function describeOutside(relPath) {
  if (relPath.startsWith('../')) return 'a file outside the repository';
  const slash = relPath.indexOf('/');
  return slash === -1 ? relPath : relPath.slice(0, slash + 1);
}

function allowedList(layer) {
  return layer.may.length === 0 ? 'nothing but itself' : layer.may.join(', ');
}

/** The string a module-reference node names, or null when it is computed at run time. */
function literalSource(node) {
  if (!node) return null;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
  return null;
}

/**
 * True when the declaration brings in types only, so it is erased before run time: `import type`,
 * or named specifiers that are all `type`. A side-effect import (`import 'x'`) loads the module.
 */
function isTypeOnlyImport(node) {
  if (node.importKind === 'type') return true;
  return node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type');
}

/** @type {import('eslint').Rule.RuleModule} */
const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'A file may import only from its own layer and the layers its table entry lists.' },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        required: ['root', 'layers'],
        properties: {
          root: { type: 'string' },
          partitioned: { type: 'array', items: { type: 'string' } },
          layers: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['name', 'folder', 'may'],
              properties: {
                name: { type: 'string' },
                folder: { type: 'string' },
                may: { type: 'array', items: { type: 'string' } },
                forbid: {
                  type: 'array',
                  items: {
                    type: 'object',
                    additionalProperties: false,
                    required: ['modules', 'why'],
                    properties: {
                      modules: { type: 'array', items: { type: 'string' } },
                      why: { type: 'string' },
                      typesOnly: { type: 'boolean' },
                    },
                  },
                },
              },
            },
          },
        },
      },
    ],
    messages: {
      layer:
        'layer {{from}} may not import {{to}} ({{file}} -> {{target}}); {{from}} may import: {{allowed}}',
      outside:
        'layer {{from}} may not import {{to}}, which is in no layer ({{file}} -> {{target}}); {{from}} may import: {{allowed}}',
      module: 'layer {{from}} may not import {{target}} ({{file}}): {{why}}',
      unassigned:
        '{{file}} is under {{partition}} but in no layer: add its folder to the layer table in build/eslint.config.js',
    },
  },

  create(context) {
    const table = tableFor(context.options[0]);
    const filename = path.resolve(context.filename);
    const file = repoRelative(table.root, filename);
    // Targets are resolved from the file's real location, so they get the same treatment.
    const fileDir = path.join(table.root, path.dirname(file));
    const layer = table.layerOf(file);

    if (!layer) {
      // A new folder under a partitioned root (electron/) must be given a layer, or it would
      // silently escape the table.
      const partition = table.partitioned.find((p) => file.startsWith(p));
      if (!partition) return {};
      return {
        Program(node) {
          context.report({ node, messageId: 'unassigned', data: { file, partition } });
        },
      };
    }

    function check(node, specifier, typeOnly = false) {
      if (specifier === null) return;

      if (!isPathSpecifier(specifier)) {
        const rule = (layer.forbid ?? []).find(
          (f) => f.modules.some((m) => modulesMatch(m, specifier)) && !(f.typesOnly && typeOnly),
        );
        if (rule) {
          context.report({
            node,
            messageId: 'module',
            data: { from: layer.name, target: specifier, file, why: rule.why },
          });
        }
        return;
      }

      const targetPath = specifier.startsWith('file:')
        ? fileURLToPath(specifier)
        : path.resolve(fileDir, specifier);
      const target = toPosix(path.relative(table.root, targetPath));
      const targetLayer = table.layerOf(target);
      const data = { from: layer.name, file, target, allowed: allowedList(layer) };

      if (!targetLayer) {
        context.report({ node, messageId: 'outside', data: { ...data, to: describeOutside(target) } });
      } else if (targetLayer !== layer && !layer.may.includes(targetLayer.name)) {
        context.report({ node, messageId: 'layer', data: { ...data, to: targetLayer.name } });
      }
    }

    return {
      ImportDeclaration: (node) => check(node.source, literalSource(node.source), isTypeOnlyImport(node)),
      ExportNamedDeclaration: (node) =>
        check(node.source, literalSource(node.source), node.exportKind === 'type'),
      ExportAllDeclaration: (node) =>
        check(node.source, literalSource(node.source), node.exportKind === 'type'),
      ImportExpression: (node) => check(node.source, literalSource(node.source)),
      TSExternalModuleReference: (node) => check(node.expression, literalSource(node.expression)),
      // typescript-eslint 8 has `source`; older versions only `argument.literal`.
      TSImportType: (node) => {
        const source = node.source ?? node.argument?.literal;
        check(source, literalSource(source), true);
      },
    };
  },
};

export default { meta: { name: 'tickscope-layers' }, rules: { layers: layersRule } };
