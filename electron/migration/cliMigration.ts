// What `npm run migrate` does once its arguments are parsed: checks the input folder, opens the
// store, runs the migration and stops the store.
//
// Files are parsed on this thread; the engine writes on its own. Parsing in a worker (as the app
// does, where the main thread must stay free) was measured here and did not help on 2 cores: the
// parsing thread stays the bottleneck, and a third busy thread only adds contention and the
// worker's start (~0.15 s). See the README's Measured section.
import path from 'node:path';
import type { MigrationOptions, MigrationProgress, MigrationReport } from '../../shared/migration.ts';
import { openTickStore } from '../engine/tickStore.ts';
import type { TickStore } from '../engine/tickStoreApi.ts';
import { checkInputFolder } from './inputFolder.ts';
import { runMigration } from './migrationRun.ts';
import { storeTickSink } from './storeTickSink.ts';

/** Ticks the store may hold before the reader waits: what keeps memory flat however big the input. */
const MIGRATION_QUEUE_CAPACITY = 500_000;

export interface CliMigrationInput {
  options: MigrationOptions;
  outputDir: string;
  signal: AbortSignal;
  onProgress(p: MigrationProgress): void;
  log?(line: string): void;
}

function openMigrationStore(outputDir: string, batchSize: number): Promise<TickStore> {
  return openTickStore({
    dataDir: outputDir,
    sqliteDir: outputDir,
    spillDir: path.join(outputDir, '.spill'),
    jsonDir: path.join(outputDir, '.json'),
    backend: 'sqlite',
    batchSize: Math.max(batchSize, 500),
    queueCapacity: MIGRATION_QUEUE_CAPACITY,
  });
}

export async function runCliMigration(input: CliMigrationInput): Promise<MigrationReport> {
  const { options, outputDir } = input;
  // A wrong folder is refused before the store creates anything in the output folder.
  await checkInputFolder(options.inputDir);
  const store = options.dryRun ? null : await openMigrationStore(outputDir, options.batchSize);
  try {
    return await runMigration(options, {
      sink: store ? storeTickSink(() => store) : null,
      outputDir,
      signal: input.signal,
      onProgress: input.onProgress,
      log: input.log,
    });
  } finally {
    await store?.stop();
  }
}
