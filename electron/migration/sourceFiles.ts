// Lists the candidate source files under the input folder: nested or flat, any depth. Nothing
// found inside the folder can fail the listing: a sub-folder that cannot be read, a name that is
// not UTF-8, a symlink loop or a dangling link is skipped and listed with its reason. Symlinks
// are followed; a folder reached twice (a loop, or a second link to it) is walked once.
import { isUtf8 } from 'node:buffer';
import type { Dirent, Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FileProblem } from '../../shared/migration.ts';
import { checkInputFolder, describeFsError } from './inputFolder.ts';

export { InputFolderError } from './inputFolder.ts';

export interface SourceFile {
  abs: string;
  /** Relative to the input folder, forward slashes. */
  rel: string;
  size: number;
  mtimeMs: number;
  /**
   * Set when this path is another name (symlink, hard link) of a file listed before it: the
   * same bytes, so the run need not even hash it.
   */
  sameFileAs?: string;
}

export interface SourceListing {
  files: SourceFile[];
  /** Files ignored because their extension is not a tick format. */
  ignored: string[];
  /** Paths inside the folder that were not read, with why (sorted by path). */
  skipped: FileProblem[];
}

const TICK_EXTENSIONS = /\.(json|jsonl|ndjson|csv|txt|tsv)(\.gz)?$/i;

function joinRel(rel: string, name: string): string {
  return rel === '' ? name : `${rel}/${name}`;
}

/** A file name that is not valid UTF-8, printable: ASCII as is, every other byte as \xNN. */
export function printableName(name: Buffer): string {
  let out = '';
  for (const c of name)
    out += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  return out;
}

function kindOf(st: Stats | Dirent<Buffer>): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function keyOf(st: Stats): string {
  return `${st.dev}:${st.ino}`;
}

/** Files sorted by path, so runs and reports are in a stable order. */
export async function listSourceFiles(inputDir: string, exclude: string[] = []): Promise<SourceListing> {
  const root = await checkInputFolder(inputDir);
  const excluded = exclude.map((e) => path.resolve(e));
  const isExcluded = (abs: string): boolean =>
    excluded.some((x) => abs === x || abs.startsWith(x + path.sep));
  const found: Array<SourceFile & { key: string | null }> = [];
  const ignored: string[] = [];
  const skipped: FileProblem[] = [];
  // Folders walked, by device and inode, with the path they were listed under.
  const walked = new Map<string, string>();
  // Symlinked folders are walked after the real tree, so that a folder reachable both ways is
  // listed under its own name rather than the link's.
  const linkedDirs: Array<{ abs: string; rel: string; st: Stats }> = [];

  const addFile = (abs: string, rel: string, st: Stats): void => {
    const key = st.ino !== 0 ? keyOf(st) : null;
    found.push({ abs, rel, size: st.size, mtimeMs: st.mtimeMs, key });
  };

  async function walk(dir: string, rel: string): Promise<void> {
    let entries: Dirent<Buffer>[];
    try {
      entries = await readdir(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (err) {
      skipped.push({
        path: rel === '' ? '.' : rel,
        reason: `folder cannot be read: ${describeFsError(err)}`,
      });
      return;
    }
    entries.sort((a, b) => Buffer.compare(a.name, b.name));
    for (const e of entries) {
      if (!isUtf8(e.name)) {
        skipped.push({
          path: joinRel(rel, printableName(e.name)),
          reason: 'the name is not valid UTF-8, so it cannot be named in the report or the ledger',
        });
        continue;
      }
      const name = e.name.toString('utf8');
      if (name.startsWith('.')) continue;
      const abs = path.join(dir, name);
      const childRel = joinRel(rel, name);
      if (isExcluded(abs)) continue;
      if (e.isDirectory()) {
        let st: Stats;
        try {
          st = await stat(abs);
        } catch (err) {
          skipped.push({ path: childRel, reason: `folder cannot be read: ${describeFsError(err)}` });
          continue;
        }
        const seen = walked.get(keyOf(st));
        if (seen !== undefined) {
          // A bind mount can show a folder twice (or inside itself) without any symlink.
          skipped.push({
            path: childRel,
            reason: `the same folder as ${seen === '' ? 'the input folder' : seen}`,
          });
          continue;
        }
        walked.set(keyOf(st), childRel);
        await walk(abs, childRel);
      } else if (e.isSymbolicLink()) {
        await symlink(abs, childRel, name);
      } else if (e.isFile()) {
        if (!TICK_EXTENSIONS.test(name)) {
          ignored.push(childRel);
          continue;
        }
        try {
          addFile(abs, childRel, await stat(abs));
        } catch (err) {
          skipped.push({ path: childRel, reason: `file cannot be read: ${describeFsError(err)}` });
        }
      } else if (TICK_EXTENSIONS.test(name)) {
        // Opening a FIFO would wait for a writer forever; devices and sockets hold no archive.
        skipped.push({ path: childRel, reason: `${kindOf(e)}, not a file` });
      } else ignored.push(childRel);
    }
  }

  async function symlink(abs: string, rel: string, name: string): Promise<void> {
    let st: Stats;
    try {
      st = await stat(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const reason =
        code === 'ENOENT'
          ? 'dangling symlink: its target does not exist'
          : code === 'ELOOP'
            ? 'symlink loop: the link resolves to itself'
            : `symlink cannot be followed: ${describeFsError(err)}`;
      skipped.push({ path: rel, reason });
      return;
    }
    if (st.isDirectory()) linkedDirs.push({ abs, rel, st });
    else if (st.isFile()) {
      if (TICK_EXTENSIONS.test(name)) addFile(abs, rel, st);
      else ignored.push(rel);
    } else if (TICK_EXTENSIONS.test(name)) {
      skipped.push({ path: rel, reason: `symlink to ${kindOf(st)}, not a file` });
    } else ignored.push(rel);
  }

  const rootStat = await stat(root);
  walked.set(keyOf(rootStat), '');
  await walk(root, '');
  for (let i = 0; i < linkedDirs.length; i++) {
    const link = linkedDirs[i];
    const key = keyOf(link.st);
    const seen = walked.get(key);
    if (seen !== undefined) {
      const loop = seen === '' || link.rel.startsWith(`${seen}/`);
      skipped.push({
        path: link.rel,
        reason: loop
          ? `symlink loop: it points back to ${seen === '' ? 'the input folder' : seen}`
          : `symlink to a folder already listed as ${seen}`,
      });
      continue;
    }
    const target = await realpath(link.abs).catch(() => link.abs);
    if (isExcluded(target)) continue;
    walked.set(key, link.rel);
    await walk(link.abs, link.rel);
  }

  found.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  const firstOf = new Map<string, string>();
  const files: SourceFile[] = found.map(({ key, ...f }) => {
    if (key === null) return f;
    const first = firstOf.get(key);
    if (first === undefined) {
      firstOf.set(key, f.rel);
      return f;
    }
    return { ...f, sameFileAs: first };
  });
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, ignored, skipped };
}
