// Feed secrets at rest: only the user can read the file, a sealing codec means no plain value on
// disk, the environment supplies or overrides values, and every refusal says what to do.
import assert from 'node:assert/strict';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import type { SecretCodec } from '../../../electron/app/secretFile.ts';
import {
  SecretStoreError,
  memorySecretStore,
  openSecretFile,
  secretEnvName,
} from '../../../electron/app/secretFile.ts';
import { safeStorageCodec } from '../../../electron/shell/safeStorageCodec.ts';
import { FakeSafeStorage } from '../../helpers/fakeElectron.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

test('values are kept in a 0600 file and read back by a new store', async () => {
  const file = path.join(makeTempDir('secrets-'), 'nested', 'feed-secrets.json');
  const a = await openSecretFile(file);
  await a.set('yofx', 'password', 'hunter2');
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  const b = await openSecretFile(file);
  assert.equal(b.get('yofx', 'password'), 'hunter2');
  assert.equal(b.has('yofx', 'password'), true);
  await b.set('yofx', 'password', null);
  assert.equal((await openSecretFile(file)).has('yofx', 'password'), false);
});

test('a file others can read is refused, naming the file, its mode and the fix', async () => {
  const file = path.join(makeTempDir('secrets-'), 's.json');
  await writeFile(file, '{"yofx":{"password":"x"}}');
  await chmod(file, 0o644);
  await assert.rejects(
    () => openSecretFile(file),
    (err: unknown) =>
      err instanceof SecretStoreError &&
      err.message === `${file} can be read by other users (mode 644); run chmod 600 on it`,
  );
});

test('a damaged file is refused with the JSON problem', async () => {
  const file = path.join(makeTempDir('secrets-'), 's.json');
  await writeFile(file, '{"yofx":', { mode: 0o600 });
  await assert.rejects(() => openSecretFile(file), /s\.json is not valid JSON/);
});

test('the environment supplies and overrides secrets', async () => {
  const file = path.join(makeTempDir('secrets-'), 's.json');
  const env = { [secretEnvName('fix-lp', 'password')]: 'from-env' };
  assert.equal(secretEnvName('fix-lp', 'password'), 'TICKSCOPE_SECRET_FIX_LP_PASSWORD');
  const s = await openSecretFile(file, undefined, env);
  await s.set('fix-lp', 'password', 'from-file');
  assert.equal(s.get('fix-lp', 'password'), 'from-env');
  assert.equal(memorySecretStore(env).get('fix-lp', 'password'), 'from-env');
});

test('with safeStorage the file holds no plain value; without a keyring nothing is stored', async () => {
  const file = path.join(makeTempDir('secrets-'), 's.json');
  const safe = new FakeSafeStorage();
  const codec: SecretCodec = safeStorageCodec(safe, 'linux');
  const s = await openSecretFile(file, codec);
  await s.set('yofx', 'password', 'hunter2');
  const text = await readFile(file, 'utf8');
  assert.ok(!text.includes('hunter2'), text);
  assert.equal((await openSecretFile(file, codec)).get('yofx', 'password'), 'hunter2');

  safe.backend = 'basic_text';
  await assert.rejects(
    () => s.set('yofx', 'password', 'again'),
    (err: unknown) =>
      err instanceof SecretStoreError &&
      /the system keychain \(Electron safeStorage\) is not available.*TICKSCOPE_SECRET_YOFX_PASSWORD/.test(
        err.message,
      ),
  );
  assert.equal(safeStorageCodec(safe, 'darwin').available(), true, 'the backend question is Linux-only');
  safe.available = false;
  assert.equal(safeStorageCodec(safe, 'darwin').available(), false);
});

test('a value sealed elsewhere that cannot be opened says to set it again', async () => {
  const file = path.join(makeTempDir('secrets-'), 's.json');
  await writeFile(file, JSON.stringify({ yofx: { password: Buffer.from('garbage').toString('base64') } }), {
    mode: 0o600,
  });
  const s = await openSecretFile(file, safeStorageCodec(new FakeSafeStorage(), 'linux'));
  assert.throws(
    () => s.get('yofx', 'password'),
    /the password of feed yofx in .* cannot be decrypted .*; set it again/,
  );
});
