// Packs migrated source files into a .tar.gz, checks the archive lists every file, and only then
// (and only when asked) deletes the originals. A file reached through a symlink is archived with
// its content but never deleted: its real file may lie outside the input folder.
import { mkdir, realpath, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import * as tar from 'tar';
import type { ArchiveResult } from '../../shared/migration.ts';

export interface ArchiveInput {
  inputDir: string;
  /** Relative to inputDir, forward slashes. */
  files: string[];
  archiveDir: string;
  deleteAfter: boolean;
  runId: string;
}

export class ArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveError';
  }
}

export async function archiveSources(a: ArchiveInput): Promise<ArchiveResult> {
  if (a.files.length === 0) throw new ArchiveError('nothing to archive: no file was migrated');
  const archiveDir = path.resolve(a.archiveDir);
  const inputDir = path.resolve(a.inputDir);
  if (archiveDir === inputDir || archiveDir.startsWith(inputDir + path.sep)) {
    // The archive would sweep itself up in the next scan.
    throw new ArchiveError(`the archive folder ${archiveDir} must not be inside the input folder`);
  }
  await mkdir(archiveDir, { recursive: true });
  const archivePath = path.join(archiveDir, `ticks-json-${a.runId}.tar.gz`);
  const files = [...new Set(a.files)].sort();
  await tar.create({ gzip: true, file: archivePath, cwd: inputDir, portable: true, follow: true }, files);
  const listed = new Set<string>();
  await tar.list({ file: archivePath, onReadEntry: (e) => listed.add(e.path) });
  const absent = files.filter((f) => !listed.has(f));
  if (absent.length > 0) {
    throw new ArchiveError(
      `archive ${archivePath} lacks ${absent.length} files (e.g. ${absent[0]}); nothing deleted`,
    );
  }
  const { size } = await stat(archivePath);
  let keptLinked = 0;
  if (a.deleteAfter) {
    const realInput = await realpath(inputDir);
    for (const f of files) {
      const abs = path.join(inputDir, f);
      if ((await realpath(abs)) !== path.join(realInput, f)) {
        keptLinked++;
        continue;
      }
      await unlink(abs);
    }
  }
  return { archivePath, files: files.length, bytes: size, deleted: a.deleteAfter, keptLinked };
}
