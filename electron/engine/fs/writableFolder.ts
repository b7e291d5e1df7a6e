// Decides, without blocking the calling thread, whether a folder can hold Tickscope's data: it is
// created if missing, and a small file is written, synced and removed in it. Every step runs
// under one deadline, so a hung mount or a path the kernel never answers for is an error within
// the deadline instead of a promise that never settles.
import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import { FolderError, makeDirs } from './makeDirs.ts';

export const FOLDER_CHECK_TIMEOUT_MS = 2_000;

async function probeWrite(folder: string): Promise<void> {
  const probe = path.join(folder, `.tickscope-write-check-${process.pid}-${Date.now()}`);
  let fh;
  try {
    fh = await open(probe, 'wx');
    await fh.write('ok');
    await fh.sync();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const code = err.code ?? 'EIO';
    const reason =
      code === 'EROFS'
        ? 'the file system is read-only'
        : code === 'EACCES' || code === 'EPERM'
          ? 'Tickscope may not write here (permission denied)'
          : code === 'ENOSPC'
            ? 'no space left on the device'
            : err.message;
    throw new FolderError(folder, `cannot be written: ${reason} (${code})`, code);
  } finally {
    await fh?.close().catch(() => undefined);
    await rm(probe, { force: true }).catch(() => undefined);
  }
}

/** Rejects with FolderError (path and reason) if any folder cannot be created and written in time. */
export async function ensureWritableFolders(
  folders: string[],
  timeoutMs = FOLDER_CHECK_TIMEOUT_MS,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let current = folders[0] ?? '';
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new FolderError(
            current,
            `did not answer within ${timeoutMs} ms (a hung or unreachable file system?)`,
            'ETIMEDOUT',
          ),
        ),
      timeoutMs,
    );
  });
  const work = (async () => {
    for (const f of folders) {
      current = f;
      await makeDirs(f);
      await probeWrite(f);
    }
  })();
  try {
    await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined);
  }
}
