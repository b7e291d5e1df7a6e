// Small state files (settings, window state, reports) are replaced whole or not at all: written to
// a temp file beside the target, then renamed over it, so a crash never leaves half a JSON file.
// Each call has its own temp name, so two saves in flight (a debounced one and the one at close)
// cannot interleave their bytes in one temp file.
import { open, rename, rm } from 'node:fs/promises';

let seq = 0;

export interface AtomicWriteOptions {
  /** Applies to the temp file from its creation, so a secret is never readable by others. */
  mode?: number;
  /** Flush the bytes to the disk before the rename: the new content survives a power cut. */
  fsync?: boolean;
}

export async function writeFileAtomic(
  file: string,
  text: string,
  opts: AtomicWriteOptions = {},
): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${++seq}`;
  try {
    const fh = await open(tmp, 'w', opts.mode ?? 0o666);
    try {
      await fh.writeFile(text);
      if (opts.fsync) await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}
