// Bytes under a folder, walked asynchronously (for the main thread: the final figures at stop,
// after the writer has closed its files and truncated their logs).
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export async function folderBytes(dir: string): Promise<number> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch {
    return 0;
  }
  let total = 0;
  for (const e of entries) {
    if (!e.isFile()) continue;
    try {
      total += (await stat(path.join(e.parentPath, e.name))).size;
    } catch {
      // removed while walking
    }
  }
  return total;
}
