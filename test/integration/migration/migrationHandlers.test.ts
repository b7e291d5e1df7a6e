// The app's migration channels against the real engine: the run happens in a worker thread while
// the store keeps recording live ticks; progress arrives as events; validation tells migrated
// ticks from the live ones; the main thread stays responsive.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { EventChannel, EventPayload } from '../../../shared/ipc/contract.ts';
import type { MigrationProgress, MigrationStatus } from '../../../shared/migration.ts';
import { openTickStore } from '../../../electron/engine/tickStore.ts';
import type { TickStore } from '../../../electron/engine/tickStoreApi.ts';
import type { ServiceContext } from '../../../electron/app/serviceContext.ts';
import { createMigrationHandlers } from '../../../electron/app/migrationHandlers.ts';
import { ArchiveBuilder } from '../../fixtures/migration/archiveBuilder.ts';
import { expectedRows, storedTicks } from '../../fixtures/migration/runMigrateCli.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const T0 = Date.UTC(2024, 0, 2) * 1000;

function context(store: TickStore, events: Array<[string, unknown]>): ServiceContext {
  return {
    store: () => store,
    dataDir: () => store.config.dataDir,
    emit: <E extends EventChannel>(event: E, payload: EventPayload<E>) => {
      events.push([event, payload]);
    },
    log: () => undefined,
    chooseFolder: null,
  };
}

const importDefaults = { format: 'auto' as const, serverOffsetHours: 0, symbol: null };
const startDefaults = {
  ...importDefaults,
  batchSize: 1000,
  validate: true,
  archiveDir: null,
  deleteAfterArchive: false,
  dryRun: false,
};

test('scan, preview, run in a worker with live recording alongside, validate, archive', async () => {
  const input = makeTempDir('mig-h-in');
  const data = makeTempDir('mig-h-data');
  const b = new ArchiveBuilder(input);
  for (let d = 0; d < 4; d++) {
    const day0 = T0 + d * 86_400_000_000;
    const key = new Date(day0 / 1000).toISOString().slice(0, 10);
    b.legacyArray(`EURUSD/${key}.json`, b.ticks('EURUSD', day0, 40_000, 2_000_000, 'LP1'));
    b.legacyArray(`USDJPY/${key}.json.gz`, b.ticks('USDJPY', day0, 20_000, 4_000_000, 'LP2', 141.2), {
      gzip: true,
    });
  }
  b.write('broken/EURUSD/2024-01-09.json', '[{"symbol":"EURUSD","bid":1.1,');
  const store = await openTickStore({ dataDir: data });
  const events: Array<[string, unknown]> = [];
  const m = createMigrationHandlers(context(store, events));
  const h = m.handlers;
  try {
    const scan = await h['migration.scan']({ inputDir: input, ...importDefaults }, null);
    assert.equal(scan.files, 9);
    assert.deepEqual(scan.symbols, ['EURUSD', 'USDJPY']);
    assert.equal(scan.days, 8);
    assert.equal(scan.firstDay, '2024-01-02');
    assert.equal(scan.lastDay, '2024-01-05');
    assert.deepEqual(scan.formats, { 'legacy-json': 8 });
    assert.deepEqual(scan.problems, [
      { path: 'broken/EURUSD/2024-01-09.json', reason: 'truncated: record 1 is incomplete at end of file' },
    ]);
    assert.ok(
      scan.estimatedTicks > 200_000 && scan.estimatedTicks < 300_000,
      `estimate ${scan.estimatedTicks}`,
    );

    const preview = await h['migration.preview']({ inputDir: input, ...importDefaults, rows: 3 }, null);
    assert.equal(preview[0].rows.length, 3);
    assert.equal(preview[0].rows[0].time, '2024-01-02T00:00:00.000000Z');

    await assert.rejects(
      h['migration.start']({ ...startDefaults, inputDir: 'relative/path' }, null),
      /absolute path/,
    );
    // A folder that is not there is the answer to start (and scan), named, not a failed run.
    const missing = path.join(input, 'no/such/folder');
    for (const call of [
      () => h['migration.start']({ ...startDefaults, inputDir: missing }, null),
      () => h['migration.scan']({ inputDir: missing, ...importDefaults }, null),
    ]) {
      await assert.rejects(call(), (err: Error & { code?: string }) => {
        assert.equal(err.name, 'HandlerError');
        assert.equal(err.code, 'invalid_argument');
        assert.equal(err.message, `input folder ${missing} cannot be read: it does not exist (ENOENT)`);
        return true;
      });
    }
    assert.equal((await h['migration.status']({}, null)).running, false);
    // A store that would drop or divert migrated ticks is refused, with what to change.
    store.updateSettings({ throttleRepeats: true });
    await assert.rejects(
      h['migration.start']({ ...startDefaults, inputDir: input }, null),
      /turn the throttle off/,
    );
    store.updateSettings({ throttleRepeats: false });
    await store.setBackend('json');
    await assert.rejects(
      h['migration.start']({ ...startDefaults, inputDir: input }, null),
      /switch the backend to sqlite/,
    );
    await store.setBackend('sqlite');
    const lag = monitorEventLoopDelay({ resolution: 5 });
    lag.enable();
    const started = await h['migration.start']({ ...startDefaults, inputDir: input }, null);
    assert.equal(started.running, true);
    await assert.rejects(
      h['migration.start']({ ...startDefaults, inputDir: input }, null),
      /already running/,
    );
    // Live recording into a migrated day while the migration runs.
    let live = 0;
    const timer = setInterval(() => {
      for (let i = 0; i < 50; i++) {
        store.ingest({ symbol: 'EURUSD', bid: 1.2, ask: 1.2001, tsUs: T0 + 1 + live, source: 'LIVE' });
        live++;
      }
    }, 5);
    let status: MigrationStatus = started;
    await waitFor(
      'the run to finish',
      () => {
        void h['migration.status']({}, null).then((s) => (status = s));
        return !status.running && status.report !== null;
      },
      120_000,
    );
    clearInterval(timer);
    lag.disable();
    const report = status.report!;
    assert.equal(report.outcome, 'done', report.error ?? '');
    assert.deepEqual(
      report.badFiles.map((f) => f.path),
      ['broken/EURUSD/2024-01-09.json'],
    );
    assert.equal(report.totals.ticksAccepted, b.expected.length);
    const v = report.validation!;
    assert.equal(v.ok, true);
    assert.equal(v.missing, 0);
    // Live ticks that reached the day file before validation read it are the extra rows.
    assert.ok(v.extra > 0 && v.extra <= live, `extra ${v.extra} of ${live} live`);
    const progress = events
      .filter(([e]) => e === 'migration.progress')
      .map(([, p]) => p as MigrationProgress);
    assert.ok(progress.some((p) => p.phase === 'migrating' && p.ticksRead > 0));
    assert.ok(progress.some((p) => p.phase === 'validating'));
    assert.equal(progress.at(-1)!.phase, 'done');
    // Batches are ingested on this thread; parsing is not.
    assert.ok(lag.percentile(99) / 1e6 < 50, `event loop p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms`);

    await store.flush();
    const stored = storedTicks(store.config.sqliteDir).filter((r) => !r.endsWith('|LIVE'));
    assert.deepEqual(stored, expectedRows(b.expected));

    // Archive refuses while a file was bad; fine once a clean run passed.
    const archiveDir = makeTempDir('mig-h-arch');
    await assert.rejects(
      h['migration.archive']({ archiveDir, deleteAfterArchive: false }, null),
      /skipped as bad/,
    );
    const { rmSync } = await import('node:fs');
    rmSync(path.join(input, 'broken'), { recursive: true });
    await h['migration.start']({ ...startDefaults, inputDir: input }, null);
    await waitFor(
      'the re-run',
      () => {
        void h['migration.status']({}, null).then((s) => (status = s));
        return !status.running && status.report !== null && status.report.badFiles.length === 0;
      },
      120_000,
    );
    assert.equal(status.report!.totals.skippedDone, 8);
    const archived = await h['migration.archive']({ archiveDir, deleteAfterArchive: false }, null);
    assert.equal(archived.files, 8);
    assert.ok(existsSync(archived.archivePath));
    assert.ok(existsSync(path.join(input, 'EURUSD/2024-01-02.json')), 'kept without deleteAfterArchive');
    await assert.rejects(h['migration.chooseFolder']({}, null), /type the folder path/);
  } finally {
    await m.close();
    await store.stop();
  }
});

test('cancel stops a run; the store keeps what was flushed and a later run completes it', async () => {
  const input = makeTempDir('mig-c-in');
  const data = makeTempDir('mig-c-data');
  const b = new ArchiveBuilder(input);
  for (let d = 0; d < 6; d++) {
    const day0 = T0 + d * 86_400_000_000;
    b.legacyArray(
      `EURUSD/${new Date(day0 / 1000).toISOString().slice(0, 10)}.json`,
      b.ticks('EURUSD', day0, 60_000, 1_000_000, 'LP1'),
    );
  }
  const store = await openTickStore({ dataDir: data });
  const m = createMigrationHandlers(context(store, []));
  try {
    await m.handlers['migration.start']({ ...startDefaults, inputDir: input, validate: false }, null);
    await new Promise((r) => setTimeout(r, 300));
    const cancelled = await m.handlers['migration.cancel']({}, null);
    assert.equal(cancelled.running, false);
    assert.equal(cancelled.report?.outcome, 'cancelled', cancelled.report?.error ?? cancelled.error ?? '');
    await m.handlers['migration.start']({ ...startDefaults, inputDir: input }, null);
    let status: MigrationStatus | null = null;
    await waitFor(
      'the second run',
      () => {
        void m.handlers['migration.status']({}, null).then((s) => (status = s));
        return status !== null && !status.running && status.report !== null;
      },
      120_000,
    );
    assert.equal(status!.report!.validation?.ok, true);
    await store.flush();
    assert.deepEqual(storedTicks(store.config.sqliteDir), expectedRows(b.expected));
  } finally {
    await m.close();
    await store.stop();
  }
});
