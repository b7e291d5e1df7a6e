import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapError } from '../../../electron/app/errorMapping.ts';
import { HandlerError } from '../../../electron/app/handlerTypes.ts';
import {
  ConfigError,
  QueryError,
  FolderError,
  StorageIoError,
  WorkerFailedError,
  StoreClosedError,
} from '../../../electron/engine/errors.ts';

test('engine errors keep their message and get a code the UI can act on', () => {
  assert.deepEqual(mapError(new QueryError('fromUs is after toUs')), {
    error: { code: 'invalid_argument', message: 'fromUs is after toUs' },
    unexpected: false,
  });
  assert.equal(mapError(new ConfigError('batchSize', '0 must be >= 1')).error.code, 'invalid_argument');
  assert.match(mapError(new ConfigError('batchSize', '0 must be >= 1')).error.message, /invalid batchSize/);
  assert.equal(mapError(new StoreClosedError('range')).error.code, 'unavailable');
  assert.equal(
    mapError(new StorageIoError('/x/ticks.db', new Error('SQLITE_FULL'))).error.code,
    'unavailable',
  );
  assert.deepEqual(mapError(new HandlerError('busy', 'moving')).error, { code: 'busy', message: 'moving' });
});

test('a folder that cannot be used is a bad argument; a worker being replaced is unavailable', () => {
  assert.deepEqual(mapError(new FolderError('/proc/x', 'cannot be created here (ENOENT)', 'ENOENT')), {
    error: { code: 'invalid_argument', message: '/proc/x: cannot be created here (ENOENT)' },
    unexpected: false,
  });
  const dead = mapError(new WorkerFailedError('reader', 'exited with code 1'));
  assert.deepEqual(dead, {
    error: { code: 'unavailable', message: 'the reader worker failed: exited with code 1' },
    unexpected: false,
  });
});

test('anything else is internal, flagged for the log, and still carries a message', () => {
  const r = mapError(new TypeError('x is undefined'));
  assert.deepEqual(r, { error: { code: 'internal', message: 'x is undefined' }, unexpected: true });
  assert.equal(mapError('a string').error.message, 'a string');
  assert.equal(mapError(new Error('')).error.message, 'internal error');
  assert.equal(mapError(undefined).error.code, 'internal');
});
