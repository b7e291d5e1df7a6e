// Creates a folder and its missing parents one level at a time. Node's `mkdir({recursive: true})`
// loops forever on file systems such as /proc, where creating a child answers ENOENT although its
// parent exists (seen: `/proc/nonexistent/xyz` pegged a core and never answered). Here every
// step is one mkdir, so the walk is bounded by the path's depth and a refusal is an error.
import fs from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** A folder that cannot be created or used, with the path and the reason a person can act on. */
export class FolderError extends Error {
  readonly path: string;
  readonly code: string | undefined;
  constructor(folder: string, reason: string, code?: string) {
    super(`${folder}: ${reason}`);
    this.name = 'FolderError';
    this.path = folder;
    this.code = code;
  }
}

function missingChain(target: string, exists: (p: string) => 'dir' | 'file' | 'none'): string[] {
  const chain: string[] = [];
  let p = path.resolve(target);
  for (;;) {
    const kind = exists(p);
    if (kind === 'dir') return chain.reverse();
    if (kind === 'file') throw new FolderError(p, 'exists and is not a folder', 'ENOTDIR');
    chain.push(p);
    const parent = path.dirname(p);
    if (parent === p) return chain.reverse();
    p = parent;
  }
}

function explain(folder: string, e: NodeJS.ErrnoException): FolderError {
  const code = e.code ?? 'EIO';
  const why: Record<string, string> = {
    ENOENT: 'cannot be created here (the file system refuses new folders at this place)',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'the file system is read-only',
    ENOSPC: 'no space left on the device',
    ENOTDIR: 'a part of the path is a file, not a folder',
  };
  return new FolderError(folder, `${why[code] ?? e.message} (${code})`, code);
}

function kindSync(p: string): 'dir' | 'file' | 'none' {
  try {
    return fs.statSync(p).isDirectory() ? 'dir' : 'file';
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    throw explain(p, e as NodeJS.ErrnoException);
  }
}

/** For worker threads, where blocking is fine. */
export function makeDirsSync(target: string): void {
  for (const dir of missingChain(target, kindSync)) {
    try {
      fs.mkdirSync(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && kindSync(dir) === 'dir') continue;
      throw explain(dir, e as NodeJS.ErrnoException);
    }
  }
}

/** For the main thread: asynchronous, and still one bounded step per missing level. */
export async function makeDirs(target: string): Promise<void> {
  const chain: string[] = [];
  let p = path.resolve(target);
  for (;;) {
    let info;
    try {
      info = await stat(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw explain(p, e as NodeJS.ErrnoException);
    }
    if (info?.isDirectory()) break;
    if (info) throw new FolderError(p, 'exists and is not a folder', 'ENOTDIR');
    chain.push(p);
    const parent = path.dirname(p);
    if (parent === p) break;
    p = parent;
  }
  for (const dir of chain.reverse()) {
    try {
      await mkdir(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw explain(dir, e as NodeJS.ErrnoException);
    }
  }
}
