import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NameTable } from '../../../electron/engine/ingest/symbolTable.ts';
import { checkSymbol } from '../../../shared/tick.ts';

test('valid names get stable small ids, announced once', () => {
  const t = new NameTable(checkSymbol, 100);
  assert.equal(t.idOf('EURUSD'), 0);
  assert.equal(t.idOf('BTCUSD'), 1);
  assert.equal(t.idOf('EURUSD'), 0);
  assert.deepEqual(t.takePending(), [
    [0, 'EURUSD'],
    [1, 'BTCUSD'],
  ]);
  assert.deepEqual(t.takePending(), []);
  assert.equal(t.idOf('XAUUSD'), 2);
  assert.deepEqual(t.takePending(), [[2, 'XAUUSD']]);
  assert.equal(t.lookup('BTCUSD'), 1);
  assert.equal(t.lookup('nope'), undefined);
  assert.ok(t.has('XAUUSD'));
  assert.equal(t.size, 3);
  assert.deepEqual(t.names, ['EURUSD', 'BTCUSD', 'XAUUSD']);
});

test('invalid names are refused without being interned', () => {
  const t = new NameTable(checkSymbol, 100);
  assert.equal(t.idOf('EUR USD'), -1);
  assert.equal(t.idOf(''), -1);
  assert.equal(t.size, 0);
  assert.deepEqual(t.takePending(), []);
  assert.equal(t.reasonFor('EUR USD'), 'symbol_invalid_chars');
  assert.equal(t.reasonFor('EURUSD'), null);
});

test('the table stops growing at its cap, but known names keep working', () => {
  const t = new NameTable(checkSymbol, 2);
  assert.equal(t.idOf('A'), 0);
  assert.equal(t.idOf('B'), 1);
  assert.equal(t.idOf('C'), -2, 'full, not invalid: the caller counts it as symbol_limit');
  assert.equal(t.idOf('A'), 0);
  assert.equal(t.size, 2);
});
