// Lint config. Lives in build/ because the project's top level is fixed; `npm run lint` points at it.
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import layersPlugin, { NODE_BUILTINS } from './eslint/layers.js';

// Module bans, per layer. They sit in the layer table (not in no-restricted-imports) so that the
// one rule also catches them in dynamic import(), which no-restricted-imports does not look at.
const onlyMainKnowsElectron = {
  modules: ['electron'],
  why: 'only electron/main/ knows Electron; the rest of electron/ runs under plain Node.',
};
// The shell's decisions (navigation, IPC senders, quit, window placement) are tested under plain
// Node with fakes, so the shell may describe Electron's objects by their types but never load it.
const shellTakesElectronAsArguments = {
  modules: ['electron'],
  typesOnly: true,
  why: 'electron/shell/ takes its Electron objects as arguments (types only: `import type`); electron/main/ passes the real ones.',
};
const browserSafe = (folder) => ({
  modules: [NODE_BUILTINS, 'electron', 'better-sqlite3', 'ws'],
  why: `${folder} runs in the renderer: no Node built-ins, electron, better-sqlite3 or ws.`,
});

const mainSide = ['shared', 'engine', 'feeds', 'migration', 'app'];

// The layer table: a file may import its own layer and the layers in `may`, nothing else in the
// repository (so nothing here imports test/ or build/, which are outside the table and may import
// anything). An edge added here is an architectural decision; say why in the commit.
// server and main are entry shells over app and do not import each other; cli holds the
// command-line processes (serve, record, migrate), so it may start the headless server. shell is
// the desktop app's logic, which main wires to the real Electron objects.
const layers = [
  { name: 'shared', folder: 'shared/', may: [], forbid: [browserSafe('shared/')] },
  { name: 'engine', folder: 'electron/engine/', may: ['shared'], forbid: [onlyMainKnowsElectron] },
  { name: 'feeds', folder: 'electron/feeds/', may: ['shared', 'engine'], forbid: [onlyMainKnowsElectron] },
  {
    name: 'migration',
    folder: 'electron/migration/',
    may: ['shared', 'engine'],
    forbid: [onlyMainKnowsElectron],
  },
  {
    name: 'app',
    folder: 'electron/app/',
    may: ['shared', 'engine', 'feeds', 'migration'],
    forbid: [onlyMainKnowsElectron],
  },
  { name: 'server', folder: 'electron/server/', may: mainSide, forbid: [onlyMainKnowsElectron] },
  { name: 'cli', folder: 'electron/cli/', may: [...mainSide, 'server'], forbid: [onlyMainKnowsElectron] },
  {
    name: 'shell',
    folder: 'electron/shell/',
    may: ['shared', 'engine', 'app'],
    forbid: [shellTakesElectronAsArguments],
  },
  { name: 'main', folder: 'electron/main/', may: [...mainSide, 'shell'] },
  { name: 'renderer', folder: 'renderer/', may: ['shared'], forbid: [browserSafe('the renderer')] },
];

export default tseslint.config(
  { basePath: '..' },
  { ignores: ['node_modules/**', 'dist/**', 'release/**', 'test-artifacts/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs,ts,tsx,mts,cts}'],
    plugins: { tickscope: layersPlugin },
    rules: {
      'tickscope/layers': [
        'error',
        {
          root: fileURLToPath(new URL('..', import.meta.url)),
          // Every file under electron/ must be in some layer: a new folder there fails lint until
          // it is given a row above.
          partitioned: ['electron/'],
          layers,
        },
      ],
    },
  },
  {
    // The renderer is a web page: it talks to the engine only through the typed API.
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
);
