// The shell's own small files: the settings (a bad file means defaults, never a failed start) and
// the log (lines in order, a drain that waits for them, a failing disk that breaks nothing).
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { loadAppSettings, saveAppSettings } from '../../../electron/shell/appSettings.ts';
import { createFileLog } from '../../../electron/shell/fileLog.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

test('settings: missing, corrupt or odd files give no data folder; a saved one reads back', async () => {
  const file = path.join(makeTempDir('settings'), 'settings.json');
  assert.deepEqual(await loadAppSettings(file), { dataDir: null });
  for (const text of ['{"dataDir":', '{"dataDir":""}', '{"dataDir":42}', '[]']) {
    await writeFile(file, text);
    assert.deepEqual(await loadAppSettings(file), { dataDir: null }, text);
  }
  await saveAppSettings(file, { dataDir: '/srv/ticks' });
  assert.deepEqual(await loadAppSettings(file), { dataDir: '/srv/ticks' });
});

test('the log appends timestamped lines in order, creating its folder, and drain waits for them', async () => {
  const file = path.join(makeTempDir('log'), 'nested', 'tickscope.log');
  const log = createFileLog(file);
  for (let i = 0; i < 50; i++) log(`line ${i}`);
  await log.drain();
  const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
  assert.equal(lines.length, 50);
  lines.forEach((l, i) => assert.match(l, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z line ${i}$`)));
});

test('a log that cannot be written loses its lines quietly and never throws or hangs', async (t) => {
  // A folder where the file should be: appendFile fails with EISDIR, even for root.
  const file = path.join(makeTempDir('log'), 'tickscope.log');
  await mkdir(file);
  const log = createFileLog(file);
  log('lost');
  await log.drain();
  log('also lost');
  await log.drain();
  t.diagnostic('appendFile failed with EISDIR as intended');
});

test('TICKSCOPE_LOG_STDERR mirrors lines to stderr', async () => {
  const file = path.join(makeTempDir('log'), 'tickscope.log');
  const written: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  process.env.TICKSCOPE_LOG_STDERR = '1';
  process.stderr.write = ((chunk: string) => (
    written.push(String(chunk)),
    true
  )) as typeof process.stderr.write;
  try {
    const log = createFileLog(file);
    log('to both');
    await log.drain();
  } finally {
    process.stderr.write = original;
    delete process.env.TICKSCOPE_LOG_STDERR;
  }
  assert.equal(written.length, 1);
  assert.match(written[0], / to both\n$/);
});
