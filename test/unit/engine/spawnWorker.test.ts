// Worker entries are found beside the module that starts them, and in a packaged app outside the
// asar archive, where the build unpacks them (worker threads cannot load from inside it).
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { unpackedPath, workerEntryUrl } from '../../../electron/engine/workers/spawnWorker.ts';

test('a packaged bundle loads its workers from app.asar.unpacked', () => {
  const inAsar = path.join(
    path.sep,
    'opt',
    'Tickscope',
    'resources',
    'app.asar',
    'dist',
    'electron',
    'main.js',
  );
  const url = workerEntryUrl('writerWorker', pathToFileURL(inAsar).href);
  assert.equal(
    url.href,
    pathToFileURL(
      path.join(
        path.sep,
        'opt',
        'Tickscope',
        'resources',
        'app.asar.unpacked',
        'dist',
        'electron',
        'writerWorker.js',
      ),
    ).href,
  );
});

test('from source the .ts entry beside the module is used, and other paths are left alone', () => {
  const src = path.join(path.sep, 'work', 'tickscope', 'electron', 'engine', 'workers', 'spawnWorker.ts');
  assert.equal(
    workerEntryUrl('readerWorker', pathToFileURL(src).href).href,
    pathToFileURL(src.replace('spawnWorker', 'readerWorker')).href,
  );
  const plain = path.join(path.sep, 'a', 'app.asar.unpacked', 'x.js');
  assert.equal(unpackedPath(plain), plain);
  assert.equal(
    unpackedPath(path.join(path.sep, 'a', 'myapp.asar', 'x.js')),
    path.join(path.sep, 'a', 'myapp.asar', 'x.js'),
  );
});
