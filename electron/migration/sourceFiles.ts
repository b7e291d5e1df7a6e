// Lists the candidate source files under the input folder: nested or flat, any depth.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export interface SourceFile {
  abs: string;
  /** Relative to the input folder, forward slashes. */
  rel: string;
  size: number;
  mtimeMs: number;
}

const TICK_EXTENSIONS = /\.(json|jsonl|ndjson|csv|txt|tsv)(\.gz)?$/i;

export class InputFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputFolderError';
  }
}

/** Files sorted by path, so runs and reports are in a stable order. */
export async function listSourceFiles(
  inputDir: string,
  exclude: string[] = [],
): Promise<{ files: SourceFile[]; ignored: string[] }> {
  const root = path.resolve(inputDir);
  let st;
  try {
    st = await stat(root);
  } catch (err) {
    throw new InputFolderError(
      `input folder ${root} cannot be read: ${(err as NodeJS.ErrnoException).code ?? err}`,
    );
  }
  if (!st.isDirectory()) throw new InputFolderError(`input ${root} is not a folder`);
  const excluded = exclude.map((e) => path.resolve(e));
  const files: SourceFile[] = [];
  const ignored: string[] = [];
  async function walk(dir: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      if (e.name.startsWith('.')) continue;
      if (excluded.some((x) => abs === x || abs.startsWith(x + path.sep))) continue;
      if (e.isDirectory()) await walk(abs);
      else if (e.isFile()) {
        const rel = path.relative(root, abs).split(path.sep).join('/');
        if (!TICK_EXTENSIONS.test(e.name)) {
          ignored.push(rel);
          continue;
        }
        const s = await stat(abs);
        files.push({ abs, rel, size: s.size, mtimeMs: s.mtimeMs });
      }
    }
  }
  await walk(root);
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { files, ignored };
}
